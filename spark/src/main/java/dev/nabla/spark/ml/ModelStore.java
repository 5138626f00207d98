package dev.nabla.spark.ml;

import dev.nabla.io.ModelDescription;
import dev.nabla.io.ModelFile;
import dev.nabla.nn.MlpSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

/**
 * How a {@link NablaClassificationModel} or a {@link NablaRegressionModel} is kept on disk, in a directory as Spark ML
 * keeps its models: the params in
 * Spark's {@code metadata/} (DefaultParamsWriter's JSON, which {@code Pipeline} and {@code PipelineModel} read too) and
 * the weights in {@value #WEIGHTS}, a nabla-core model file (safetensors, with the {@link ModelDescription} in its
 * metadata), so that {@code nabla predict --model} and PyTorch's {@code load_state_dict} read it as well. The path
 * may be on any file system Hadoop reaches; the file is written to a local temporary directory and copied there.
 */
final class ModelStore {
    /** The weights' file, under the model's directory. */
    static final String WEIGHTS = "data/model.safetensors";

    private ModelStore() {
    }

    /** Writes a model's params and weights. */
    static final class Writer extends MLWriter {
        private final Params model;
        private final Map<String, float[]> weights;
        private final ModelDescription description;

        /** @param description what the weights' file says of the model (its spec among it), for nabla-core's readers */
        Writer(Params model, Map<String, float[]> weights, ModelDescription description) {
            this.model = model;
            this.weights = weights;
            this.description = description;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(model, path, sparkSession());
            Path dir = temporaryDirectory();
            try {
                Path file = dir.resolve("model.safetensors");
                ModelFile.save(file, BatchPredict.network(description.spec(), weights), description);
                org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(path, WEIGHTS);
                FileSystem fs = target.getFileSystem(sc().hadoopConfiguration());
                fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(file.toUri()), target);
            } catch (IOException e) {
                throw new UncheckedIOException("could not write the weights of " + model.uid() + " to " + path + "/"
                        + WEIGHTS + ": " + e.getMessage(), e);
            } finally {
                delete(dir);
            }
        }
    }

    /** Makes a model from what was read: its uid, network, weights and buffers by name, and description. */
    @FunctionalInterface
    interface Factory<M> {
        M make(String uid, MlpSpec spec, Map<String, float[]> weights, ModelDescription description);
    }

    /** Reads a model's params and weights, and checks that they belong together. */
    static final class Reader<M extends Params> extends MLReader<M> {
        private final Class<M> type;
        private final Factory<M> factory;

        Reader(Class<M> type, Factory<M> factory) {
            this.type = type;
            this.factory = factory;
        }

        @Override
        public M load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(),
                    type.getName());
            Path dir = temporaryDirectory();
            ModelFile.Loaded loaded;
            try {
                Path file = dir.resolve("model.safetensors");
                org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(path, WEIGHTS);
                FileSystem fs = source.getFileSystem(sc().hadoopConfiguration());
                if (!fs.exists(source)) {
                    throw new IllegalArgumentException(path + " holds a model's params but no weights (" + WEIGHTS
                            + "): save the model again with write().save(path)");
                }
                fs.copyToLocalFile(false, source, new org.apache.hadoop.fs.Path(file.toUri()), true);
                loaded = ModelFile.load(file);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the weights in " + path + "/" + WEIGHTS + ": "
                        + e.getMessage(), e);
            } finally {
                delete(dir);
            }
            if (!(loaded.description().spec() instanceof MlpSpec spec)) {
                throw new IllegalArgumentException(path + "/" + WEIGHTS + " holds a " + loaded.description().spec()
                        + " network, not an MLP: it was not saved by a " + type.getSimpleName());
            }
            M model = factory.make(metadata.uid(), spec, loaded.model().stateValues(), loaded.description());
            metadata.getAndSetParams(model, Option.empty());
            return model;
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("nabla-spark-model-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not make a temporary directory for the model's weights: "
                    + e.getMessage() + "; check java.io.tmpdir", e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the temporary directory " + dir, e);
        }
    }
}
