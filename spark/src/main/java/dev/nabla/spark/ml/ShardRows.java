package dev.nabla.spark.ml;

import static org.apache.spark.sql.functions.col;

import dev.nabla.data.ShardedLoader;
import dev.nabla.spark.ShardData;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * A DataFrame's feature vectors and labels cut into the shards {@link dev.nabla.spark.SparkShards} trains on: the
 * rows numbered in order ({@code zipWithIndex}), checked in one pass (labels that are class indices, or finite
 * numbers for regression; features of one size, no nulls, no NaN), row {@code i} sent to shard {@code i mod S}, and
 * partition {@code k} made of shard {@code k}'s rows in row order. The cut depends on the rows' order alone, not on how the DataFrame is partitioned,
 * so a fit gives the same weights on any number of executors.
 */
final class ShardRows {
    private ShardRows() {
    }

    /**
     * What the label column holds: class indices, with the number of classes given and the one the column's
     * metadata gives (each 0 when unknown), or, for regression, numbers.
     */
    record Labels(boolean regression, int classes, int metadataClasses) implements Serializable {
        /** Class indices 0..C−1. */
        static Labels classIndices(int classes, int metadataClasses) {
            return new Labels(false, classes, metadataClasses);
        }

        /** Numbers to predict. */
        static Labels numbers() {
            return new Labels(true, 0, 0);
        }
    }

    /**
     * The shards, and what the checks found: {@code outputs} is 1 for regression; for classes, the number given,
     * else the label metadata's, else the largest label + 1. Call {@link #release()} once the shards are on the
     * executors.
     */
    record Cut(JavaRDD<ShardData> shards, int samples, int features, int outputs, JavaRDD<Sample> rows) {
        /** Frees the numbered rows kept for the checks and the cut. */
        void release() {
            rows.unpersist(false);
        }
    }

    /** One row: its number, features and label, and what is wrong with it (null when nothing). */
    record Sample(long row, float[] x, double label, String problem) implements Serializable {
    }

    /**
     * Numbers, checks and cuts {@code data}'s {@code featuresCol} (vectors) and {@code labelCol} (doubles).
     *
     * @throws IllegalArgumentException naming the first bad row and how to mend it, or when the batch, shards and
     *                                  rows do not fit together
     */
    static Cut cut(Dataset<Row> data, String featuresCol, String labelCol, Labels labels, int shards, int batchSize,
                   String name) {
        JavaRDD<Sample> rows = data.select(col(featuresCol), col(labelCol).cast(DataTypes.DoubleType)).toJavaRDD().zipWithIndex()
                .map(t -> sample(t._1(), t._2(), featuresCol, labelCol, labels));
        rows.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Summary s = rows.aggregate(new Summary(), Summary::add, Summary::merge);
            if (s.count == 0) {
                throw new IllegalArgumentException("the training data has no rows: fit on a DataFrame with rows");
            }
            if (s.problem != null) {
                throw new IllegalArgumentException(s.problem);
            }
            if (s.minWidth != s.maxWidth) {
                throw new IllegalArgumentException("the features vectors differ in size: row " + s.minWidthRow
                        + "'s has " + s.minWidth + " values, row " + s.maxWidthRow + "'s " + s.maxWidth + "; give "
                        + "every row a vector of the same size (one VectorAssembler over the same columns)");
            }
            if (s.maxWidth == 0) {
                throw new IllegalArgumentException("the features vectors in column '" + featuresCol + "' are empty: "
                        + "assemble the feature columns into it (VectorAssembler)");
            }
            int outputs = labels.regression() ? 1 : classes(s, labels, labelCol);
            int samples = Math.toIntExact(s.count);
            try {
                ShardedLoader.checkShards(batchSize, shards, samples, name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("batchSize " + batchSize + ", shards " + shards + ": "
                        + e.getMessage(), e);
            }
            int features = s.maxWidth;
            JavaRDD<ShardData> cut = rows.mapToPair(r -> new Tuple2<>((int) (r.row() % shards), r))
                    .partitionBy(new ShardPartitioner(shards))
                    .mapPartitionsWithIndex((k, part) -> assemble(k, part, shards, features, labels.regression(),
                            outputs, name), true);
            return new Cut(cut, samples, features, outputs, rows);
        } catch (RuntimeException e) {
            rows.unpersist(false);
            throw e;
        }
    }

    /** The classes: the number given, else the label metadata's, else the largest label + 1. */
    private static int classes(Summary s, Labels labels, String labelCol) {
        int found = (int) s.maxLabel + 1;
        if (labels.metadataClasses() > 0 && labels.classes() == 0 && found > labels.metadataClasses()) {
            throw new IllegalArgumentException("column '" + labelCol + "' holds label " + s.maxLabel + " at row "
                    + s.maxLabelRow + ", but its metadata says " + labels.metadataClasses() + " classes: index the "
                    + "labels again, or set classes");
        }
        return labels.classes() > 0 ? labels.classes() : Math.max(labels.metadataClasses(), found);
    }

    private static Sample sample(Row r, long row, String featuresCol, String labelCol, Labels labels) {
        if (r.isNullAt(0)) {
            return new Sample(row, null, 0, "row " + row + " has no features vector (null in column '" + featuresCol
                    + "'): drop such rows (na().drop()) or fill them before fitting");
        }
        Vector v = r.getAs(0);
        float[] x = new float[v.size()];
        for (int j = 0; j < x.length; j++) {
            double value = v.apply(j);
            if (!Double.isFinite(value)) {
                return new Sample(row, x, 0, "row " + row + "'s features vector holds " + value + " at index " + j
                        + ": replace missing or infinite values (e.g. with an Imputer) or drop such rows");
            }
            x[j] = (float) value;
        }
        if (r.isNullAt(1)) {
            return new Sample(row, x, 0, "row " + row + " has no label (null in column '" + labelCol + "'): drop "
                    + "such rows (na().drop()) before fitting");
        }
        double label = r.getDouble(1);
        if (labels.regression()) {
            return new Sample(row, x, label, Double.isFinite(label) ? null : "column '" + labelCol + "' holds " + label
                    + " at row " + row + ": NablaRegressor learns from finite numbers; drop such rows or impute the "
                    + "label");
        }
        int classes = labels.classes();
        String wrong = label != Math.rint(label) ? "is not a whole number"
                : label < 0 ? "is negative"
                : label >= Integer.MAX_VALUE ? "is too large for a class index"
                : classes > 0 && label >= classes ? "is not below classes = " + classes
                : null;
        return new Sample(row, x, label, wrong == null ? null : String.format(Locale.ROOT, "column '%s' holds "
                + "label %s at row %d, which %s: NablaClassifier takes class indices 0, 1, …, C−1 as numbers; turn "
                + "other labels into indices with a StringIndexer%s", labelCol, label, row, wrong,
                classes > 0 ? ", or set classes to their number" : ""));
    }

    /** Shard {@code k}'s rows, in row order, as one {@link ShardData}. */
    private static Iterator<ShardData> assemble(int k, Iterator<Tuple2<Integer, Sample>> part, int shards,
                                                int features, boolean regression, int outputs, String name) {
        List<Sample> mine = new ArrayList<>();
        part.forEachRemaining(t -> mine.add(t._2()));
        mine.sort(Comparator.comparingLong(Sample::row));
        float[] x = new float[mine.size() * features];
        int[] y = regression ? null : new int[mine.size()];
        float[] targets = regression ? new float[mine.size()] : null;
        for (int i = 0; i < mine.size(); i++) {
            Sample s = mine.get(i);
            System.arraycopy(s.x(), 0, x, i * features, features);
            if (regression) {
                targets[i] = (float) s.label();
            } else {
                y[i] = (int) s.label();
            }
        }
        String shard = name + " shard " + k + "/" + shards;
        int[] shape = {features};
        return List.of(regression ? ShardData.regression(k, shard, x, shape, targets, 1)
                : ShardData.labelled(k, shard, x, shape, y, outputs)).iterator();
    }

    /** What the checks found over all rows: counted, widest and narrowest vectors, largest label, first problem. */
    static final class Summary implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        long count;
        int minWidth = Integer.MAX_VALUE;
        long minWidthRow = -1;
        int maxWidth = -1;
        long maxWidthRow = -1;
        double maxLabel = -1;
        long maxLabelRow = -1;
        long problemRow = Long.MAX_VALUE;
        String problem;

        Summary add(Sample s) {
            count++;
            if (s.problem() != null) {
                note(s.row(), s.problem());
                return this;
            }
            width(s.x().length, s.row());
            if (s.label() > maxLabel || s.label() == maxLabel && s.row() < maxLabelRow) {
                maxLabel = s.label();
                maxLabelRow = s.row();
            }
            return this;
        }

        Summary merge(Summary o) {
            count += o.count;
            if (o.problem != null) {
                note(o.problemRow, o.problem);
            }
            if (o.maxWidthRow >= 0) {
                width(o.minWidth, o.minWidthRow);
                width(o.maxWidth, o.maxWidthRow);
            }
            if (o.maxLabel > maxLabel || o.maxLabel == maxLabel && o.maxLabelRow < maxLabelRow) {
                maxLabel = o.maxLabel;
                maxLabelRow = o.maxLabelRow;
            }
            return this;
        }

        private void note(long row, String what) {
            if (row < problemRow) {
                problemRow = row;
                problem = what;
            }
        }

        private void width(int w, long row) {
            if (w < minWidth || w == minWidth && row < minWidthRow) {
                minWidth = w;
                minWidthRow = row;
            }
            if (w > maxWidth || w == maxWidth && row < maxWidthRow) {
                maxWidth = w;
                maxWidthRow = row;
            }
        }
    }

    /** Sends the key {@code k} (a shard) to partition {@code k}. */
    static final class ShardPartitioner extends Partitioner {
        @Serial
        private static final long serialVersionUID = 1L;
        private final int shards;

        ShardPartitioner(int shards) {
            this.shards = shards;
        }

        @Override
        public int numPartitions() {
            return shards;
        }

        @Override
        public int getPartition(Object key) {
            return (Integer) key;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ShardPartitioner p && p.shards == shards;
        }

        @Override
        public int hashCode() {
            return shards;
        }
    }
}
