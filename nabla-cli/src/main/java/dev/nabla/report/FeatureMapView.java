package dev.nabla.report;

import dev.nabla.data.Dataset;
import dev.nabla.diagnostics.FeatureMaps;
import dev.nabla.nn.CnnSpec;
import dev.nabla.nn.Module;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A few test images and what each block of a trained CNN made of them, for the training report: the image under its
 * true class, then the first channels of each block's output.
 *
 * @param images   the images {@code [K, H, W]}
 * @param captions each image's true class
 * @param maps     each block's maps {@code [K, channels, h, w]}
 * @param channels each block's channel count, of which the maps show the first
 */
public record FeatureMapView(Tensor images, List<String> captions, FeatureMaps maps, List<Integer> channels) {
    /** Images shown: one per class, the first of each, for the first classes of the test set. */
    public static final int IMAGES = 4;
    /** Channels shown per block. */
    public static final int CHANNELS = 8;

    public FeatureMapView {
        Objects.requireNonNull(maps, "maps");
        captions = List.copyOf(captions);
        channels = List.copyOf(channels);
        if (images.rank() != 3 || images.dim(0) != captions.size()) {
            throw new IllegalArgumentException("feature maps need images [K, H, W] with a caption each, got "
                    + images.shape() + " and " + captions.size() + " captions");
        }
    }

    /**
     * The view of {@code model}, a CNN of {@code spec}, on the first test image of each of the first
     * {@value #IMAGES} classes met, or null when there is no test image.
     */
    public static FeatureMapView of(Module model, CnnSpec spec, Dataset test) {
        if (test == null || test.isRegression() || test.size() == 0) {
            return null;
        }
        Set<Integer> classes = new LinkedHashSet<>();
        List<Integer> picked = new ArrayList<>();
        for (int i = 0; i < test.size() && picked.size() < IMAGES; i++) {
            if (classes.add(test.label(i))) {
                picked.add(i);
            }
        }
        int[] indices = picked.stream().mapToInt(Integer::intValue).toArray();
        Tensor x = test.batch(indices).x();
        FeatureMaps maps = FeatureMaps.capture(model, x, CHANNELS);
        List<String> captions = picked.stream().map(i -> test.classNames().get(test.label(i))).toList();
        return new FeatureMapView(Tensor.of(x.data().clone(), indices.length, spec.height(), spec.width()), captions,
                maps, spec.channels());
    }
}
