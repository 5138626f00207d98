package dev.nabla.spark.ml;

import java.util.Arrays;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * The checks of a DataFrame's columns that the Nabla estimators and models make before Spark's own, so that a missing
 * or mistyped column is refused with the param to set rather than Spark's field lookup error.
 */
final class Columns {
    private Columns() {
    }

    /** Refuses a schema without {@code column}, naming the columns there are and the param that chose it. */
    static void require(StructType schema, String column, String param, String what) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("the data has no column '" + column + "' (its columns: "
                    + String.join(", ", schema.fieldNames()) + "): set " + param + " to the column holding " + what);
        }
    }

    /** Refuses a label column that is not numeric (strings: index them first). */
    static void requireNumericLabel(StructType schema, String column) {
        requireNumeric(schema, column, "labels must be class indices 0..C-1 as numbers: turn them into indices with a "
                + "StringIndexer");
    }

    /** Refuses a column that is not numeric, saying what it must hold and how to mend it. */
    static void requireNumeric(StructType schema, String column, String fix) {
        var type = schema.apply(column).dataType();
        if (!(type instanceof NumericType)) {
            throw new IllegalArgumentException("column '" + column + "' holds " + type.simpleString() + " values, "
                    + "but " + fix);
        }
    }

    /**
     * Refuses a schema without the features column, or whose column's metadata gives a vector size other than
     * {@code features}.
     */
    static void requireFeatures(StructType schema, String column, int features) {
        require(schema, column, "featuresCol", "the features vector (VectorAssembler's outputCol)");
        requireSize(schema, column, features);
    }

    /**
     * Refuses a features column whose metadata (a VectorAssembler's) gives a vector size other than {@code features};
     * without metadata, the sizes are checked row by row as the rows are read.
     */
    static void requireSize(StructType schema, String column, int features) {
        int size = AttributeGroup.fromStructField(schema.apply(column)).size();
        if (size >= 0 && size != features) {
            throw new IllegalArgumentException("column '" + column + "' holds vectors of " + size + " values, but the "
                    + "model was trained on " + features + ": give it vectors of the same features it was fitted on "
                    + "(the same VectorAssembler inputs)");
        }
    }
}
