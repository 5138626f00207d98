package dev.nabla.diagnostics;

import dev.nabla.autograd.NoGrad;
import dev.nabla.nn.HookHandle;
import dev.nabla.nn.Module;
import dev.nabla.nn.ReLU;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a convolutional network sees in a few images: the output of each of its blocks (the ReLU after each
 * convolution, before pooling) for each image, the first few channels of each. Early blocks answer edges and strokes
 * at full resolution; later ones, coarser parts of the object. Captured in evaluation mode without a gradient tape,
 * and the model is left in the mode it was in.
 *
 * @param blocks each block's layer path and its maps {@code [images, channels, h, w]}, input side first
 */
public record FeatureMaps(List<Block> blocks) {
    /**
     * One block's maps.
     *
     * @param layer the path of the ReLU whose output this is, such as {@code "2"}
     * @param maps  {@code [images, channels, h, w]}, the first channels only
     */
    public record Block(String layer, Tensor maps) {
        public Block {
            Objects.requireNonNull(layer, "layer");
            if (maps.rank() != 4) {
                throw new IllegalArgumentException("feature maps are [images, channels, h, w], got " + maps.shape());
            }
        }
    }

    public FeatureMaps {
        blocks = List.copyOf(blocks);
    }

    /**
     * Runs {@code model} on {@code images} (a batch as the model takes it) and keeps, for every ReLU whose output is
     * a stack of feature maps {@code [N, C, H, W]}, its first {@code channels} channels.
     *
     * @throws IllegalArgumentException when channels is below 1
     */
    public static FeatureMaps capture(Module model, Tensor images, int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("feature maps: keep at least one channel, got " + channels);
        }
        List<Block> blocks = new ArrayList<>();
        List<HookHandle> hooks = new ArrayList<>();
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof ReLU) {
                hooks.add(e.getValue().addOutputHook((module, out) -> {
                    if (out.rank() == 4) {
                        blocks.add(new Block(e.getKey(), firstChannels(out, channels)));
                    }
                }));
            }
        }
        boolean training = model.isTraining();
        model.eval();
        try (NoGrad scope = NoGrad.enter()) {
            model.call(images);
        } finally {
            model.train(training);
            hooks.forEach(HookHandle::remove);
        }
        return new FeatureMaps(blocks);
    }

    /** A copy of the first {@code channels} channels of {@code [N, C, H, W]}. */
    private static Tensor firstChannels(Tensor out, int channels) {
        int n = out.dim(0);
        int c = out.dim(1);
        int kept = Math.min(c, channels);
        int plane = out.dim(2) * out.dim(3);
        float[] data = new float[n * kept * plane];
        for (int s = 0; s < n; s++) {
            System.arraycopy(out.data(), s * c * plane, data, s * kept * plane, kept * plane);
        }
        return Tensor.wrap(data, Shape.of(n, kept, out.dim(2), out.dim(3)));
    }

    @Override
    public String toString() {
        return "FeatureMaps" + blocks.stream().map(b -> b.layer() + Arrays.toString(b.maps().shape().dims())).toList();
    }
}
