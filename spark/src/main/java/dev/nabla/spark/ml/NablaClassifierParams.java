package dev.nabla.spark.ml;

import org.apache.spark.ml.param.IntParam;

/** The params of {@link NablaClassifier} and its model: {@link NablaParams} and the number of classes. */
public interface NablaClassifierParams extends NablaParams {
    /** The number of classes C, labels 0..C−1 (not set: the label column's nominal metadata, else max label + 1). */
    default IntParam classes() {
        return paramSet().classes;
    }

    /** The number of classes set, or 0 when it comes from the data. */
    default int getClasses() {
        return isDefined(classes()) ? (Integer) getOrDefault(classes()) : 0;
    }
}
