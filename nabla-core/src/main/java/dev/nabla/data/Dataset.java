package dev.nabla.data;

import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * A labelled dataset held in memory: {@code size()} samples of shape {@code sampleShape}, each with either a class
 * label in {@code [0, numClasses)} (classification) or {@code targetWidth} numbers to predict (regression,
 * {@link #regression}).
 *
 * <p>Immutable. The features are one row-major array of {@code [size, ...sampleShape]} (floats, or an image file's
 * unsigned bytes, each read as byte / 255: a quarter of the memory), so a batch is a
 * handful of array copies. Construction checks everything a training run would otherwise trip over much later:
 * that the values fill the samples, that every feature and target is finite, that every label is a valid class.
 */
public final class Dataset {
    private final String name;
    private final Features features;
    private final Shape sampleShape;
    private final int size;
    /** The class labels, or null for a regression dataset. */
    private final int[] labels;
    private final int numClasses;
    /** The regression targets {@code [size, targetWidth]}, or null for a classification dataset. */
    private final float[] targets;
    private final int targetWidth;
    private final List<String> classNames;
    private final List<String> featureNames;
    private final List<String> targetNames;
    /** How the targets were standardized ({@link #standardized}), or null when they are in their own units. */
    private final Standardization targetScaling;

    /**
     * A classification dataset holding copies of {@code features} and {@code labels}.
     *
     * @param name        shown in messages and reports, e.g. {@code "digits/train"}
     * @param features    {@code [N, ...sampleShape]} row-major; every value finite
     * @param sampleShape the shape of one sample, e.g. {@code [784]}
     * @param labels      {@code N} class indices, each in {@code [0, numClasses)}
     * @param numClasses  the number of classes, at least 1
     * @throws IllegalArgumentException naming the sample and feature (or label) that is wrong, and the fix
     */
    public Dataset(String name, float[] features, Shape sampleShape, int[] labels, int numClasses) {
        this(name, new Features.Floats(features.clone()), sampleShape, labels.length, labels.clone(), numClasses, null, 0,
                List.of(),
                List.of(), List.of(), null, true);
    }

    /**
     * A regression dataset holding copies of {@code features} and {@code targets}: each sample's answer is
     * {@code targetWidth} numbers, named {@code "y"} for one target and {@code "y0"}, {@code "y1"}, … for more until
     * {@link #withTargetNames} names them.
     *
     * @param targets     {@code [N, targetWidth]} row-major; every value finite
     * @param targetWidth the numbers per sample, at least 1
     * @throws IllegalArgumentException naming the sample and value that is wrong, and the fix
     */
    public static Dataset regression(String name, float[] features, Shape sampleShape, float[] targets,
                                     int targetWidth) {
        if (targetWidth < 1 || targets.length % targetWidth != 0) {
            throw new IllegalArgumentException("dataset '" + name + "': " + targets.length + " target values are "
                    + "not whole rows of " + targetWidth + ": a regression dataset needs at least one target per "
                    + "sample");
        }
        List<String> names = targetWidth == 1 ? List.of("y")
                : IntStream.range(0, targetWidth).mapToObj(j -> "y" + j).toList();
        return new Dataset(name, new Features.Floats(features.clone()), sampleShape, targets.length / targetWidth, null, 0,
                targets.clone(), targetWidth, List.of(), List.of(), names, null, true);
    }

    /** Takes the arrays as they are, without copying: only for arrays nobody else holds. */
    private Dataset(String name, Features features, Shape sampleShape, int size, int[] labels, int numClasses,
                    float[] targets, int targetWidth, List<String> classNames, List<String> featureNames,
                    List<String> targetNames, Standardization targetScaling, boolean check) {
        this.name = Objects.requireNonNull(name, "name");
        this.features = Objects.requireNonNull(features, "features");
        this.sampleShape = Objects.requireNonNull(sampleShape, "sampleShape");
        this.size = size;
        this.labels = labels;
        this.numClasses = numClasses;
        this.targets = targets;
        this.targetWidth = targetWidth;
        this.classNames = labels != null && classNames.isEmpty()
                ? IntStream.range(0, Math.max(numClasses, 0)).mapToObj(Integer::toString).toList() : classNames;
        this.featureNames = featureNames;
        this.targetNames = targetNames;
        this.targetScaling = targetScaling;
        if (check) {
            validate();
        }
    }

    /** A checked classification dataset that owns {@code features} and {@code labels}: readers use it to skip a copy. */
    static Dataset adopt(String name, float[] features, Shape sampleShape, int[] labels, int numClasses) {
        return adopt(name, new Features.Floats(features), sampleShape, labels, numClasses);
    }

    /**
     * A checked classification dataset of images that owns {@code pixels}, unsigned bytes each read as
     * {@code byte / 255}: a quarter of the memory of the floats they give.
     */
    static Dataset adoptPixels(String name, byte[] pixels, Shape sampleShape, int[] labels, int numClasses) {
        return adopt(name, new Features.UnitBytes(pixels), sampleShape, labels, numClasses);
    }

    private static Dataset adopt(String name, Features features, Shape sampleShape, int[] labels, int numClasses) {
        return new Dataset(name, features, sampleShape, labels.length, labels, numClasses, null, 0, List.of(), List.of(),
                List.of(), null, true);
    }

    /** A checked regression dataset that owns {@code features} and {@code targets}. */
    static Dataset adoptRegression(String name, float[] features, Shape sampleShape, float[] targets,
                                   List<String> targetNames) {
        return new Dataset(name, new Features.Floats(features), sampleShape, targets.length / targetNames.size(), null,
                0, targets,
                targetNames.size(), List.of(), List.of(), List.copyOf(targetNames), null, true);
    }

    private Dataset with(Features features, float[] targets, List<String> classNames, List<String> featureNames,
                         List<String> targetNames, Standardization targetScaling) {
        return new Dataset(name, features, sampleShape, size, labels, numClasses, targets, targetWidth, classNames,
                featureNames, targetNames, targetScaling, false);
    }

    private void validate() {
        if (labels != null && numClasses < 1) {
            throw new IllegalArgumentException("dataset '" + name + "': numClasses is " + numClasses
                    + ": a classification dataset needs at least one class");
        }
        int width = sampleShape.size();
        if (width == 0) {
            throw new IllegalArgumentException("dataset '" + name + "': sample shape " + sampleShape
                    + " holds no values: every sample needs at least one feature");
        }
        String answers = labels != null ? " labels" : " rows of targets";
        if ((long) size * width != features.length()) {
            throw new IllegalArgumentException("dataset '" + name + "': " + features.length() + " feature values for "
                    + size + answers + " of sample shape " + sampleShape + ": expected " + size + " × " + width
                    + " = " + (long) size * width + " values");
        }
        int bad = features.firstNonFinite();
        if (bad >= 0) {
            throw new IllegalArgumentException("dataset '" + name + "': sample " + bad / width + ", feature "
                    + bad % width + " is " + features.floats()[bad] + ": clean or impute the input");
        }
        if (labels != null) {
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= numClasses) {
                    throw new IllegalArgumentException("dataset '" + name + "': sample " + i + " has label "
                            + labels[i] + ", outside the valid range [0, " + numClasses + "): labels must be class "
                            + "indices 0.." + (numClasses - 1));
                }
            }
        } else {
            for (int i = 0; i < targets.length; i++) {
                if (!Float.isFinite(targets[i])) {
                    throw new IllegalArgumentException("dataset '" + name + "': sample " + i / targetWidth
                            + ", target " + targetNames.get(i % targetWidth) + " is " + targets[i]
                            + ": drop the sample or impute its target");
                }
            }
        }
    }

    /** The name given at construction, used in messages. */
    public String name() {
        return name;
    }

    /** The number of samples, {@code N}. */
    public int size() {
        return size;
    }

    /** The shape of one sample (without the batch dimension). */
    public Shape sampleShape() {
        return sampleShape;
    }

    /** The number of values in one sample: {@code sampleShape().size()}. */
    public int features() {
        return sampleShape.size();
    }

    /** The features as they are held, {@code [N, ...sampleShape]} row-major: not a copy, not to be changed. */
    float[] featureValues() {
        return features.floats();
    }

    /** The feature values as held (floats, or an image file's bytes). */
    Features featureStore() {
        return features;
    }

    /** True when the samples have numeric targets ({@link #regression}) rather than class labels. */
    public boolean isRegression() {
        return labels == null;
    }

    /** The width of a model's output for this data: the number of classes, or of targets for regression. */
    public int outputs() {
        return labels != null ? numClasses : targetWidth;
    }

    /** The number of classes (every label is in {@code [0, numClasses)}); 0 for a regression dataset. */
    public int numClasses() {
        return numClasses;
    }

    /**
     * The classes' names, index by index: those given by {@link #withClassNames}, else {@code "0"}, {@code "1"}, …;
     * empty for a regression dataset. A saved model keeps them, so that a prediction names its class.
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
        if (names.size() != numClasses || labels == null) {
            throw new IllegalArgumentException("dataset '" + name + "': " + names.size() + " class names for "
                    + numClasses + " classes");
        }
        return with(features, targets, List.copyOf(names), featureNames, targetNames, targetScaling);
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
        return with(features, targets, classNames, List.copyOf(names), targetNames, targetScaling);
    }

    /** The regression targets' names (a CSV file's target columns); empty for a classification dataset. */
    public List<String> targetNames() {
        return targetNames;
    }

    /**
     * This regression dataset with its targets named (the same samples, not copied).
     *
     * @throws IllegalArgumentException when there is not one name per target
     */
    public Dataset withTargetNames(List<String> names) {
        if (labels != null || names.size() != targetWidth) {
            throw new IllegalArgumentException("dataset '" + name + "': " + names.size() + " target names for "
                    + targetWidth + " targets");
        }
        return with(features, targets, classNames, featureNames, List.copyOf(names), targetScaling);
    }

    /** The label of sample {@code i}. */
    public int label(int i) {
        Objects.checkIndex(i, size);
        return classification()[i];
    }

    /** A copy of all {@code N} labels, in sample order. */
    public int[] labels() {
        return classification().clone();
    }

    /**
     * A copy of the regression targets, {@code [N, outputs()]} row-major, as the samples carry them (standardized
     * after {@link #standardized}).
     */
    public float[] targets() {
        if (targets == null) {
            throw new IllegalStateException("dataset '" + name + "' has class labels, not regression targets");
        }
        return targets.clone();
    }

    /**
     * The standardization this dataset's targets went through ({@link #standardized}), so that errors can be told
     * in the targets' own units; null when they are in their own units.
     */
    public Standardization targetScaling() {
        return targetScaling;
    }

    /**
     * This dataset with its features, and the targets of a regression dataset, standardized: a new dataset of new
     * arrays. A model trained on it predicts standardized targets; {@link Standardization#invert} turns them back.
     *
     * @param features the features' scaling, fitted on the training part, or null to keep the features as they are
     * @param targets  the targets' scaling (regression only), or null to keep them
     * @throws IllegalArgumentException when a scaling has the wrong number of columns, or the targets are scaled
     *                                  already
     */
    public Dataset standardized(Standardization features, Standardization targets) {
        if (features != null && features.width() != features()) {
            throw new IllegalArgumentException("dataset '" + name + "': a standardization of " + features.width()
                    + " columns for " + features() + " features");
        }
        if (targets != null && (this.targets == null || targets.width() != targetWidth || targetScaling != null)) {
            throw new IllegalArgumentException("dataset '" + name + "': " + (this.targets == null
                    ? "a classification dataset has no targets to standardize"
                    : targetScaling != null ? "its targets are standardized already"
                    : "a standardization of " + targets.width() + " columns for " + targetWidth + " targets"));
        }
        return with(features == null ? this.features : new Features.Floats(features.apply(this.features.floats())),
                targets == null ? this.targets : targets.apply(this.targets), classNames, featureNames, targetNames,
                targets == null ? targetScaling : targets);
    }

    private int[] classification() {
        if (labels == null) {
            throw new IllegalStateException("dataset '" + name + "' has regression targets, not class labels");
        }
        return labels;
    }

    /**
     * The samples at {@code indices}, in that order, copied into a new batch.
     *
     * @param indices sample indices in {@code [0, size)}; repeats are allowed
     * @return {@code x: [indices.length, ...sampleShape]} with {@code y: [indices.length]} labels or
     *         {@code target: [indices.length, outputs()]}, all fresh arrays
     */
    public Batch batch(int[] indices) {
        int width = features();
        float[] x = new float[Math.multiplyExact(indices.length, width)];
        int[] y = labels == null ? null : new int[indices.length];
        float[] t = targets == null ? null : new float[Math.multiplyExact(indices.length, targetWidth)];
        for (int b = 0; b < indices.length; b++) {
            int i = checkSample(indices[b], b);
            features.copyRow(i, width, x, b * width);
            if (y != null) {
                y[b] = labels[i];
            } else {
                System.arraycopy(targets, i * targetWidth, t, b * targetWidth, targetWidth);
            }
        }
        return new Batch(Tensor.wrap(x, batchShape(indices.length)), y,
                t == null ? null : Tensor.wrap(t, Shape.of(indices.length, targetWidth)));
    }

    /** The samples at {@code indices}, in that order, as a new dataset called {@code name}. */
    public Dataset subset(String name, int[] indices) {
        for (int b = 0; b < indices.length; b++) {
            checkSample(indices[b], b);
        }
        int[] y = labels == null ? null : Arrays.stream(indices).map(i -> labels[i]).toArray();
        float[] t = targets == null ? null : new Features.Floats(targets).rows(indices, targetWidth).floats();
        return new Dataset(name, features.rows(indices, features()), sampleShape, indices.length, y, numClasses, t,
                targetWidth, classNames, featureNames, targetNames, targetScaling, false);
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
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("dataset '" + name + "': index " + i + " at position " + position
                    + " is outside [0, " + size + ")");
        }
        return i;
    }

    /** Like {@code dataset 'digits/train': 1437 samples of [64], 10 classes}, or {@code …, targets [y]}. */
    @Override
    public String toString() {
        return "dataset '" + name + "': " + size() + " samples of " + sampleShape + ", "
                + (labels != null ? numClasses + " classes" : "targets " + targetNames);
    }

    /** A dataset cut in two, as {@link #split} returns it: one part to train on, one held out to test. */
    public record Split(Dataset train, Dataset test) {}
}
