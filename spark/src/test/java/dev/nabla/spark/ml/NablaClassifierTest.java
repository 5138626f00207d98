package dev.nabla.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.Digits;
import dev.nabla.io.ModelFile;
import dev.nabla.spark.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * NablaClassifier as a Spark ML user meets it: in a Pipeline after a VectorAssembler on the digits, saved and loaded
 * as Spark's models are, and refusing bad input with a message that says what to change.
 */
class NablaClassifierTest {
    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.threads(2);

    private static Dataset<Row> train;
    private static Dataset<Row> test;
    private static PipelineModel fitted;

    @BeforeAll
    static void fitOnDigits() {
        train = DigitsFrames.columns(SPARK.session(), Digits.train());
        test = DigitsFrames.columns(SPARK.session(), Digits.test());
        VectorAssembler assembler = new VectorAssembler().setInputCols(DigitsFrames.pixelColumns(64))
                .setOutputCol("features");
        NablaClassifier nabla = new NablaClassifier().setHiddenLayers(64).setLr(0.003).setEpochs(8).setSeed(3);
        fitted = new Pipeline().setStages(new PipelineStage[] {assembler, nabla}).fit(train);
    }

    private static NablaClassificationModel nablaModel(PipelineModel pipeline) {
        return (NablaClassificationModel) pipeline.stages()[1];
    }

    @SuppressWarnings("unchecked")
    private static String json(NablaClassifier nabla, Param<?> param) {
        return nabla.isDefined(param) ? ((Param<Object>) param).jsonEncode(nabla.getOrDefault(param)) : "undefined";
    }

    private static Throwable root(Throwable e) {
        return e.getCause() == null ? e : root(e.getCause());
    }

    @Test
    void aPipelineOfVectorAssemblerAndNablaClassifierClassifiesTheTestDigits() {
        Dataset<Row> predicted = fitted.transform(test);
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predicted);
        assertTrue(accuracy > 0.9, "test accuracy " + accuracy);
        Row first = predicted.select("rawPrediction", "probability", "prediction").first();
        Vector probability = first.getAs(1);
        assertEquals(10, probability.size());
        assertEquals(1.0, java.util.Arrays.stream(probability.toArray()).sum(), 1e-9);
        assertEquals(probability.argmax(), first.getDouble(2), 0.0);
        assertEquals(((Vector) first.getAs(0)).argmax(), probability.argmax());
        assertEquals(test.count(), predicted.count());
        StructType expected = fitted.transformSchema(test.schema());
        for (String column : new String[] {"prediction", "rawPrediction", "probability"}) {
            assertEquals(expected.apply(column), predicted.schema().apply(column), column + " and its ML metadata");
        }
        assertEquals(fitted.stages()[0].transform(test).schema().apply("features"),
                predicted.schema().apply("features"), "the input columns keep their metadata");
    }

    @Test
    void theModelKeepsTheParamsItWasTrainedWithAndPredictsOneRowAsTransformDoes() {
        NablaClassificationModel model = nablaModel(fitted);
        assertArrayEquals(new int[] {64}, model.getHiddenLayers());
        assertEquals(8, model.getEpochs());
        assertEquals(3L, model.getSeed());
        assertEquals(10, model.numClasses());
        assertEquals(64, model.numFeatures());
        Row row = fitted.transform(test).select("features", "prediction").first();
        assertEquals(row.getDouble(1), model.predict(row.getAs(0)), 0.0);
    }

    @Test
    void aSavedPipelineModelLoadsAndPredictsExactlyWhatItDid(@TempDir Path dir) throws Exception {
        String path = dir.resolve("pipeline").toString();
        fitted.write().overwrite().save(path);
        assertTrue(Files.isRegularFile(dir.resolve("pipeline/stages/1_" + nablaModel(fitted).uid() + "/"
                + ModelStore.WEIGHTS)), "the weights' safetensors file");
        PipelineModel loaded = PipelineModel.load(path);
        NablaClassificationModel model = nablaModel(loaded);
        assertEquals(nablaModel(fitted).uid(), model.uid());
        assertEquals(nablaModel(fitted).spec(), model.spec());
        Map<String, float[]> before = nablaModel(fitted).weights();
        model.weights().forEach((name, values) -> assertArrayEquals(before.get(name), values, name));
        List<Row> expected = fitted.transform(test).select("rawPrediction", "probability", "prediction")
                .collectAsList();
        List<Row> actual = loaded.transform(test).select("rawPrediction", "probability", "prediction")
                .collectAsList();
        assertEquals(expected, actual);
        fitted.write().overwrite().save(path);   // overwrite() replaces the directory
    }

    @Test
    void theSavedWeightsAreANablaModelFileAndAModelWithoutThemIsRefused(@TempDir Path dir) throws Exception {
        NablaClassificationModel model = nablaModel(fitted);
        String path = dir.resolve("model").toString();
        model.write().save(path);
        Path weights = dir.resolve("model").resolve(ModelStore.WEIGHTS);
        ModelFile.Loaded file = ModelFile.load(weights);
        assertEquals(model.spec(), file.description().spec());
        assertEquals(64, file.description().features());
        Files.delete(weights);
        var e = assertThrows(IllegalArgumentException.class, () -> NablaClassificationModel.load(path));
        assertTrue(e.getMessage().contains("holds a model's params but no weights (data/model.safetensors)"),
                e.getMessage());
    }

    @Test
    void aSavedEstimatorLoadsWithItsParams(@TempDir Path dir) throws Exception {
        NablaClassifier nabla = new NablaClassifier().setHiddenLayers(32, 16).setActivation("tanh").setBatchNorm(true)
                .setDropout(0.1).setOptimizer("sgd").setLr(0.05).setMomentum(0.8).setBatchSize(32).setEpochs(3)
                .setSeed(9).setShards(2).setClipNorm(1.5).setClasses(10);
        nabla.write().save(dir.resolve("estimator").toString());
        NablaClassifier loaded = NablaClassifier.load(dir.resolve("estimator").toString());
        assertEquals(nabla.uid(), loaded.uid());
        for (Param<?> param : nabla.params()) {
            assertEquals(nabla.isSet(param), loaded.isSet(param), param.name());
            assertEquals(json(nabla, param), json(loaded, param), param.name());
        }
        assertArrayEquals(new int[] {32, 16}, loaded.getHiddenLayers());
        assertEquals(0.05, loaded.getLr());
        assertEquals(1.5, loaded.getClipNorm());
    }

    @Test
    void labelsThatAreNotClassIndicesAreRefusedNamingTheRowAndValue() {
        double[][] x = {{0, 1}, {1, 0}, {1, 1}, {0, 0}};
        var nabla = new NablaClassifier().setBatchSize(2).setShards(2).setEpochs(1);
        var half = assertThrows(IllegalArgumentException.class,
                () -> nabla.fit(DigitsFrames.vectors(SPARK.session(), x, new double[] {0, 1, 2.5, 1})));
        assertTrue(half.getMessage().contains("label 2.5 at row 2, which is not a whole number"), half.getMessage());
        assertTrue(half.getMessage().contains("StringIndexer"), half.getMessage());
        var negative = assertThrows(IllegalArgumentException.class,
                () -> nabla.fit(DigitsFrames.vectors(SPARK.session(), x, new double[] {0, -1, 1, 1})));
        assertTrue(negative.getMessage().contains("label -1.0 at row 1, which is negative"), negative.getMessage());
        var beyond = assertThrows(IllegalArgumentException.class, () -> nabla.setClasses(2)
                .fit(DigitsFrames.vectors(SPARK.session(), x, new double[] {0, 1, 2, 1})));
        assertTrue(beyond.getMessage().contains("label 2.0 at row 2, which is not below classes = 2"),
                beyond.getMessage());
    }

    @Test
    void aStringIndexersLabelsGiveTheModelEveryClassItIndexedEvenOnesNotInTheTrainingRows() {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("features", SQLDataTypes.VectorType(), false),
                DataTypes.createStructField("name", DataTypes.StringType, false)));
        List<Row> rows = List.of(RowFactory.create(Vectors.dense(0, 1), "cat"),
                RowFactory.create(Vectors.dense(1, 0), "dog"), RowFactory.create(Vectors.dense(1, 1), "cat"),
                RowFactory.create(Vectors.dense(0, 0), "dog"), RowFactory.create(Vectors.dense(2, 2), "bird"));
        Dataset<Row> all = SPARK.session().createDataFrame(rows, schema);
        Dataset<Row> indexed = new StringIndexer().setInputCol("name").setOutputCol("label").fit(all).transform(all);
        NablaClassificationModel model = new NablaClassifier().setHiddenLayers(4).setBatchSize(2).setShards(2)
                .setEpochs(1).fit(indexed.filter("name != 'bird'"));
        assertEquals(3, model.numClasses());
        assertEquals(5, model.transform(indexed).count());
    }

    @Test
    void aMissingColumnIsRefusedNamingTheParamToSet() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new NablaClassifier().setFeaturesCol("pixels").fit(DigitsFrames.vectors(SPARK.session(),
                        new double[][] {{1}}, new double[] {0})));
        assertTrue(e.getMessage().contains("no column 'pixels' (its columns: features, label): set featuresCol"),
                e.getMessage());
        var label = assertThrows(IllegalArgumentException.class,
                () -> nablaModel(fitted).transform(test.drop("p3")));
        assertTrue(label.getMessage().contains("p3"), label.getMessage());
    }

    @Test
    void featuresOfAnotherSizeThanTrainedOnAreRefusedAtTransform() {
        NablaClassificationModel model = nablaModel(fitted);
        Dataset<Row> short63 = DigitsFrames.vectors(SPARK.session(), new double[][] {new double[63]},
                new double[] {0});
        Exception e = assertThrows(Exception.class, () -> {
            try (var _ = LocalSpark.quietTaskFailures()) {
                model.transform(short63).collect();
            }
        });
        assertTrue(root(e).getMessage().contains("has 63 values, but the model was trained on 64"), e.toString());
        Dataset<Row> assembled = new VectorAssembler().setInputCols(java.util.Arrays.copyOf(
                DigitsFrames.pixelColumns(64), 63)).setOutputCol("features").transform(test);
        var early = assertThrows(IllegalArgumentException.class, () -> model.transform(assembled));
        assertTrue(early.getMessage().contains("holds vectors of 63 values, but the model was trained on 64"),
                early.getMessage());
    }

    @Test
    void shardsThatDoNotDivideTheBatchAreRefusedBeforeAnyJob() {
        var e = assertThrows(IllegalArgumentException.class, () -> new NablaClassifier().setShards(5)
                .fit(DigitsFrames.vectors(SPARK.session(), new double[][] {{1}}, new double[] {0})));
        assertEquals("batchSize 64 cannot be cut into 5 equal shards: set batchSize to a multiple of shards (e.g. 65),"
                + " or shards to a divisor of batchSize", e.getMessage());
        var momentum = assertThrows(IllegalArgumentException.class, () -> new NablaClassifier().setMomentum(0.9)
                .fit(DigitsFrames.vectors(SPARK.session(), new double[][] {{1}}, new double[] {0})));
        assertTrue(momentum.getMessage().contains("the adam optimizer takes none"), momentum.getMessage());
    }
}
