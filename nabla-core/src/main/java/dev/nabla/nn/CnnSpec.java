package dev.nabla.nn;

import dev.nabla.tensor.Rng;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A convolutional classifier of greyscale images described in a few values, as the command line and reports name
 * it. {@link #build(Rng)} makes, after an {@link Unflatten} of each flat image to {@code [1, H, W]}, one block per
 * entry of {@code channels} — {@code Conv2d 3×3 (padding 1) → BatchNorm2d → ReLU → MaxPool2d 2} (without the
 * BatchNorm2d when {@code batchNorm} is off), each halving the image (rounding down) — then {@code Flatten}, a
 * {@code Linear → ReLU} (and {@code Dropout}) per hidden size and a final {@code Linear} to the class scores.
 *
 * <p>With channels 32, 64, hidden 128 and 28×28 inputs this is PyTorch's {@code nn.Sequential(Conv2d(1, 32, 3,
 * padding=1), BatchNorm2d(32), ReLU(), MaxPool2d(2), Conv2d(32, 64, 3, padding=1), BatchNorm2d(64), ReLU(),
 * MaxPool2d(2), Flatten(), Linear(3136, 128), ReLU(), Linear(128, 10))} under the same parameter names
 * ({@code 0.weight}, {@code 1.running_mean}, …, {@code 11.bias}): the Unflatten is named {@code unflatten} and holds
 * no state.
 *
 * @param height    image height, at least 1
 * @param width     image width, at least 1
 * @param channels  output channels of each convolution block, at least one block
 * @param hidden    sizes of the hidden Linear layers after the blocks (may be empty)
 * @param classes   number of classes
 * @param batchNorm a {@link BatchNorm2d} between each convolution and its ReLU
 * @param dropout   the probability of a {@link Dropout} after each hidden Linear's ReLU, in [0, 1); 0 for none
 */
public record CnnSpec(int height, int width, List<Integer> channels, List<Integer> hidden, int classes,
                      boolean batchNorm, double dropout) implements ModelSpec {
    /** The convolution blocks' channels when none are given. */
    public static final List<Integer> DEFAULT_CHANNELS = List.of(32, 64);
    /** The hidden Linear layer when none is given. */
    public static final List<Integer> DEFAULT_HIDDEN = List.of(128);
    /**
     * The batch a CNN trains with when none is given: 128, as its PyTorch twin (one seed-0 run of three epochs of
     * Adam on Fashion-MNIST ended at 0.912 test accuracy with it, 0.901 with the MLP's default of 64).
     */
    public static final int DEFAULT_BATCH_SIZE = 128;

    /** Validates the sizes, so a bad spec fails before anything is built. */
    public CnnSpec {
        channels = List.copyOf(channels);
        hidden = List.copyOf(hidden);
        if (height < 1 || width < 1 || classes < 1 || channels.isEmpty()) {
            throw new IllegalArgumentException("a CNN needs an image, at least one convolution block and classes, got "
                    + height + "×" + width + ", channels " + channels + ", " + classes + " classes");
        }
        for (int c : channels) {
            if (c < 1) {
                throw new IllegalArgumentException("convolution channels must be positive, got " + channels);
            }
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden layer sizes must be positive, got " + hidden);
            }
        }
        if (height >> channels.size() < 1 || width >> channels.size() < 1) {
            throw new IllegalArgumentException("a " + height + "×" + width + " image is halved to nothing by "
                    + channels.size() + " convolution blocks (each pools 2×2): give at most "
                    + (31 - Integer.numberOfLeadingZeros(Math.min(height, width))) + " channel sizes");
        }
        long pooledPixels = (long) (height >> channels.size()) * (width >> channels.size());   // at least 1
        if (channels.get(channels.size() - 1) > (Integer.MAX_VALUE - 8) / pooledPixels) {
            throw new IllegalArgumentException("a " + height + "×" + width + " image with " + channels + " channels "
                    + "becomes more values after its convolution blocks than an array holds (2^31 - 9)");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("a dropout probability is in [0, 1), got " + dropout);
        }
    }

    /** The values one image becomes after the blocks: the last channels times the pooled height and width. */
    public int flatFeatures() {
        return channels.get(channels.size() - 1) * (height >> channels.size()) * (width >> channels.size());
    }

    @Override
    public Sequential build(Rng rng) {
        Objects.requireNonNull(rng, "rng");
        Map<String, Module> layers = new LinkedHashMap<>();
        layers.put("unflatten", new Unflatten(1, height, width));
        int in = 1;
        for (int c : channels) {
            layers.put(Integer.toString(layers.size() - 1), new Conv2d(in, c, 3, Conv2d.Options.defaults()
                    .withPadding(1), rng));
            if (batchNorm) {
                layers.put(Integer.toString(layers.size() - 1), new BatchNorm2d(c));
            }
            layers.put(Integer.toString(layers.size() - 1), new ReLU());
            layers.put(Integer.toString(layers.size() - 1), new MaxPool2d(2));
            in = c;
        }
        layers.put(Integer.toString(layers.size() - 1), new Flatten());
        int features = flatFeatures();
        for (int h : hidden) {
            layers.put(Integer.toString(layers.size() - 1), new Linear(features, h, rng));
            layers.put(Integer.toString(layers.size() - 1), new ReLU());
            if (dropout > 0) {
                layers.put(Integer.toString(layers.size() - 1), new Dropout((float) dropout, rng));
            }
            features = h;
        }
        layers.put(Integer.toString(layers.size() - 1), new Linear(features, classes, rng));
        return new Sequential(layers);
    }

    @Override
    public long parameterCount() {
        long count = 0;
        int in = 1;
        for (int c : channels) {
            count += (long) in * c * 9 + c + (batchNorm ? 2L * c : 0);
            in = c;
        }
        long features = flatFeatures();
        for (int h : hidden) {
            count += features * h + h;
            features = h;
        }
        return count + features * classes + classes;
    }

    @Override
    public long largestWeight() {
        long largest = 0;
        int in = 1;
        for (int c : channels) {
            largest = Math.max(largest, (long) in * c * 9);
            in = c;
        }
        long features = flatFeatures();
        for (int h : hidden) {
            largest = Math.max(largest, features * h);
            features = h;
        }
        return Math.max(largest, features * classes);
    }

    /** The first block's convolution output, {@code channels[0] · H · W}: the widest tensor of a sample. */
    @Override
    public long widestPerSample() {
        long widest = (long) channels.get(0) * height * width;
        for (int h : hidden) {
            widest = Math.max(widest, h);
        }
        return Math.max(widest, classes);
    }

    /**
     * Per block the convolution's, the normalisation's and the ReLU's outputs and the pooled map, each with its
     * gradient; per Linear six values a unit, as an MLP's.
     */
    @Override
    public long activationsPerSample() {
        long values = (long) height * width;
        int h = height;
        int w = width;
        for (int c : channels) {
            values += 2L * (batchNorm ? 3 : 2) * c * h * w;
            h /= 2;
            w /= 2;
            values += 2L * c * h * w;
        }
        long units = classes;
        for (int size : hidden) {
            units += size;
        }
        return values + 6 * units;
    }

    /** Small enough that the first block's output for the batch stays under 2²¹ values (8 MB): 83 on 28×28. */
    @Override
    public int evalBatchSize() {
        return (int) Math.max(1, Math.min(1000, (1 << 21) / widestPerSample()));
    }

    /** For example {@code 28×28-c32-c64-128-10 relu+bn} (convolution blocks as cN). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(height).append('×').append(width);
        channels.forEach(c -> sb.append("-c").append(c));
        hidden.forEach(h -> sb.append('-').append(h));
        return sb.append('-').append(classes).append(" relu").append(batchNorm ? "+bn" : "")
                .append(dropout > 0 ? "+dropout " + Module.pythonFloat(dropout) : "").toString();
    }
}
