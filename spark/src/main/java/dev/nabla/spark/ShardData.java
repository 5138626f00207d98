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
 * classification {@link Dataset} ({@link ShardedLoader#shard}), as plain arrays.
 *
 * @param shard       the shard's index {@code k}
 * @param name        the shard's name, for messages
 * @param features    its samples' values, row-major
 * @param sampleShape the shape of one sample
 * @param labels      its class labels
 * @param classes     the number of classes
 */
public record ShardData(int shard, String name, float[] features, int[] sampleShape, int[] labels, int classes)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The {@code shards} shards of {@code data}, in shard order. */
    public static List<ShardData> cut(Dataset data, int shards) {
        if (data.isRegression()) {
            throw new IllegalArgumentException(data.name() + " has numeric targets: nabla-spark trains classifiers; "
                    + "train a regression model with nabla train");
        }
        List<ShardData> out = new ArrayList<>(shards);
        for (int k = 0; k < shards; k++) {
            Dataset shard = ShardedLoader.shard(data, k, shards);
            Batch all = shard.batch(IntStream.range(0, shard.size()).toArray());
            out.add(new ShardData(k, shard.name(), all.x().data(), data.sampleShape().dims(), all.y(),
                    data.numClasses()));
        }
        return out;
    }

    /** The shard as a dataset. */
    public Dataset dataset() {
        return new Dataset(name, features, Shape.of(sampleShape), labels, classes);
    }
}
