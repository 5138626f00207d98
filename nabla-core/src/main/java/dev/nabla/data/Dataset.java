package dev.nabla.data;

import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A labelled classification dataset held in memory: {@code size()} samples of shape {@code sampleShape}, each
 * with a class label in {@code [0, numClasses)}.
 *
 * <p>Immutable. The features are one row-major {@code float[]} of {@code [size, ...sampleShape]}, so a batch is a
 * handful of array copies. Construction checks everything a training run would otherwise trip over much later:
 * that the values fill the samples, that every feature is finite, that every label is a valid class.
 */
public final class Dataset {
    private final String name;
    private final float[] features;
    private final Shape sampleShape;
    private final int[] labels;
    private final int numClasses;
    private final List<String> classNames;
    private final List<String> featureNames;

    /**
     * A dataset holding copies of {@code features} and {@code labels}.
     *
     * @param name        shown in messages and reports, e.g. {@code "digits/train"}
     * @param features    {@code [N, ...sampleShape]} row-major; every value finite
     * @param sampleShape the shape of one sample, e.g. {@code [784]}
     * @param labels      {@code N} class indices, each in {@code [0, numClasses)}
     * @param numClasses  the number of classes, at least 1
     * @throws IllegalArgumentException naming the sample and feature (or label) that is wrong, and the fix
     */
    public Dataset(String name, float[] features, Shape sampleShape, int[] labels, int numClasses) {
        this(name, features.clone(), sampleShape, labels.clone(), numClasses, null, List.of(), true);
    }

    /**
     * Takes the arrays as they are, without copying: only for arrays nobody else holds.
     *
     * @param classNames the classes' names, or null for {@code "0"}, {@code "1"}, …
     */
    private Dataset(String name, float[] features, Shape sampleShape, int[] labels, int numClasses,
                    List<String> classNames, List<String> featureNames, boolean check) {
        this.name = Objects.requireNonNull(name, "name");
        this.features = Objects.requireNonNull(features, "features");
        this.sampleShape = Objects.requireNonNull(sampleShape, "sampleShape");
        this.labels = Objects.requireNonNull(labels, "labels");
        this.numClasses = numClasses;
        this.classNames = classNames != null ? classNames
                : java.util.stream.IntStream.range(0, Math.max(numClasses, 0)).mapToObj(Integer::toString).toList();
        this.featureNames = featureNames;
        if (check) {
            validate();
        }
    }

    /** A checked dataset that owns {@code features} and {@code labels}: the readers use it to skip a copy. */
    static Dataset adopt(String name, float[] features, Shape sampleShape, int[] labels, int numClasses) {
        return new Dataset(name, features, sampleShape, labels, numClasses, null, List.of(), true);
    }

    private void validate() {
        if (numClasses < 1) {
            throw new IllegalArgumentException("dataset '" + name + "': numClasses is " + numClasses
                    + ": a classification dataset needs at least one class");
        }
        int width = sampleShape.size();
        if (width == 0) {
            throw new IllegalArgumentException("dataset '" + name + "': sample shape " + sampleShape
                    + " holds no values: every sample needs at least one feature");
        }
        if ((long) labels.length * width != features.length) {
            throw new IllegalArgumentException("dataset '" + name + "': " + features.length + " feature values for "
                    + labels.length + " labels of sample shape " + sampleShape + ": expected " + labels.length
                    + " × " + width + " = " + (long) labels.length * width + " values");
        }
        for (int i = 0; i < features.length; i++) {
            float v = features[i];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("dataset '" + name + "': sample " + i / width + ", feature "
                        + i % width + " is " + v + ": clean or impute the input");
            }
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("dataset '" + name + "': sample " + i + " has label " + labels[i]
                        + ", outside the valid range [0, " + numClasses + "): labels must be class indices 0.."
                        + (numClasses - 1));
            }
        }
    }

    /** The name given at construction, used in messages. */
    public String name() {
        return name;
    }

    /** The number of samples, {@code N}. */
    public int size() {
        return labels.length;
    }

    /** The shape of one sample (without the batch dimension). */
    public Shape sampleShape() {
        return sampleShape;
    }

    /** The number of values in one sample: {@code sampleShape().size()}. */
    public int features() {
        return sampleShape.size();
    }

    /** The number of classes; every label is in {@code [0, numClasses)}. */
    public int numClasses() {
        return numClasses;
    }

    /**
     * The classes' names, index by index: those given by {@link #withClassNames}, else {@code "0"}, {@code "1"}, ….
     * A saved model keeps them, so that a prediction names its class.
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * This dataset with its classes named (the same samples, not copied).
     *
     * @throws IllegalArgumentException when there is not one name per class
     */
    public Dataset withClassNames(List<String> names) {
        if (names.size() != numClasses) {
            throw new IllegalArgumentException("dataset '" + name + "': " + names.size() + " class names for "
                    + numClasses + " classes");
        }
        return new Dataset(name, features, sampleShape, labels, numClasses, List.copyOf(names), featureNames, false);
    }

    /** The features' names (a CSV file's columns), or empty when they have none (pixels). */
    public List<String> featureNames() {
        return featureNames;
    }

    /**
     * This dataset with its features named (the same samples, not copied).
     *
     * @throws IllegalArgumentException when there is not one name per feature
     */
    public Dataset withFeatureNames(List<String> names) {
        if (names.size() != features()) {
            throw new IllegalArgumentException("dataset '" + name + "': " + names.size() + " feature names for "
                    + features() + " features");
        }
        return new Dataset(name, features, sampleShape, labels, numClasses, classNames, List.copyOf(names), false);
    }

    /** The label of sample {@code i}. */
    public int label(int i) {
        Objects.checkIndex(i, labels.length);
        return labels[i];
    }

    /** A copy of all {@code N} labels, in sample order. */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * The samples at {@code indices}, in that order, copied into a new batch.
     *
     * @param indices sample indices in {@code [0, size)}; repeats are allowed
     * @return {@code x: [indices.length, ...sampleShape]}, {@code y: [indices.length]}, both fresh arrays
     */
    public Batch batch(int[] indices) {
        int width = features();
        float[] x = new float[Math.multiplyExact(indices.length, width)];
        int[] y = new int[indices.length];
        for (int b = 0; b < indices.length; b++) {
            int i = checkSample(indices[b], b);
            System.arraycopy(features, i * width, x, b * width, width);
            y[b] = labels[i];
        }
        return new Batch(Tensor.wrap(x, batchShape(indices.length)), y);
    }

    /** The samples at {@code indices}, in that order, as a new dataset called {@code name}. */
    public Dataset subset(String name, int[] indices) {
        Batch rows = batch(indices);
        return new Dataset(name, rows.x().data(), sampleShape, rows.y(), numClasses, classNames, featureNames, false);
    }

    /**
     * Shuffles the samples with {@code seed}, then gives the first {@code floor(trainFraction · N)} to
     * {@code train} and the rest to {@code test}. The same seed always gives the same split; the two parts
     * never share a sample. They are named {@code name + "/train"} and {@code name + "/test"}.
     *
     * @param trainFraction in {@code [0, 1]}
     */
    public Split split(double trainFraction, long seed) {
        if (!(trainFraction >= 0 && trainFraction <= 1)) {
            throw new IllegalArgumentException("dataset '" + name + "': train fraction " + trainFraction
                    + " is not in [0, 1]");
        }
        int[] order = new Rng(seed).permutation(size());
        int cut = (int) Math.floor(trainFraction * size());
        return new Split(subset(name + "/train", Arrays.copyOfRange(order, 0, cut)),
                subset(name + "/test", Arrays.copyOfRange(order, cut, order.length)));
    }

    private Shape batchShape(int batchSize) {
        int[] dims = new int[sampleShape.rank() + 1];
        dims[0] = batchSize;
        System.arraycopy(sampleShape.dims(), 0, dims, 1, sampleShape.rank());
        return Shape.of(dims);
    }

    private int checkSample(int i, int position) {
        if (i < 0 || i >= labels.length) {
            throw new IndexOutOfBoundsException("dataset '" + name + "': index " + i + " at position " + position
                    + " is outside [0, " + labels.length + ")");
        }
        return i;
    }

    /** Like {@code dataset 'digits/train': 1437 samples of [64], 10 classes}. */
    @Override
    public String toString() {
        return "dataset '" + name + "': " + size() + " samples of " + sampleShape + ", " + numClasses + " classes";
    }

    /** A dataset cut in two, as {@link #split} returns it: one part to train on, one held out to test. */
    public record Split(Dataset train, Dataset test) {}
}
