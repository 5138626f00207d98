package dev.nabla.spark;

import dev.nabla.data.Batch;
import dev.nabla.data.Dataset;
import dev.nabla.data.ShardedLoader;
import dev.nabla.tensor.Shape;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One shard of the training data as it travels to an executor and stays there: the samples {@code k, k + S, …} of a
 * {@link Dataset} ({@link ShardedLoader#shard}), as plain arrays, answered either by class labels or, for regression,
 * by rows of numeric targets.
 *
 * @param shard       the shard's index {@code k}
 * @param name        the shard's name, for messages
 * @param features    its samples' values, row-major
 * @param sampleShape the shape of one sample
 * @param labels      its class labels, or null for regression
 * @param targets     its regression targets, {@code [samples, outputs]} row-major, or null for classification
 * @param outputs     the number of classes, or of targets per sample
 */
public record ShardData(int shard, String name, float[] features, int[] sampleShape, int[] labels, float[] targets,
                        int outputs) implements Serializable {
    @Serial
    private static final long serialVersionUID = 2L;

    /** @throws IllegalArgumentException unless exactly one of labels and targets is given */
    public ShardData {
        if ((labels == null) == (targets == null)) {
            throw new IllegalArgumentException("shard " + shard + " needs either class labels or regression targets");
        }
    }

    /** A shard of class labels. */
    public static ShardData labelled(int shard, String name, float[] features, int[] sampleShape, int[] labels,
                                     int classes) {
        return new ShardData(shard, name, features, sampleShape, labels, null, classes);
    }

    /** A shard of regression targets, {@code width} per sample. */
    public static ShardData regression(int shard, String name, float[] features, int[] sampleShape, float[] targets,
                                       int width) {
        return new ShardData(shard, name, features, sampleShape, null, targets, width);
    }

    /** The {@code shards} shards of {@code data}, in shard order. */
    public static List<ShardData> cut(Dataset data, int shards) {
        List<ShardData> out = new ArrayList<>(shards);
        for (int k = 0; k < shards; k++) {
            Dataset shard = ShardedLoader.shard(data, k, shards);
            Batch all = shard.batch(IntStream.range(0, shard.size()).toArray());
            int[] shape = data.sampleShape().dims();
            out.add(data.isRegression()
                    ? regression(k, shard.name(), all.x().data(), shape, all.target().data(), data.outputs())
                    : labelled(k, shard.name(), all.x().data(), shape, all.y(), data.outputs()));
        }
        return out;
    }

    /** True when the shard's samples are answered by numeric targets. */
    public boolean isRegression() {
        return targets != null;
    }

    /** The shard as a dataset. */
    public Dataset dataset() {
        return isRegression() ? Dataset.regression(name, features, Shape.of(sampleShape), targets, outputs)
                : new Dataset(name, features, Shape.of(sampleShape), labels, outputs);
    }
}
