package dev.nabla.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.cli.Main;
import dev.nabla.io.ModelFile;
import dev.nabla.spark.LocalSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * NablaRegressor as a Spark ML user meets it: in a Pipeline after a VectorAssembler, predicting in the label's units,
 * saved and loaded as Spark's models are (and read by {@code nabla predict}), and refusing bad input with a message
 * that says what to change.
 */
class NablaRegressorTest {
    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.threads(2);

    private static Dataset<Row> train;
    private static Dataset<Row> test;
    private static PipelineModel fitted;

    @BeforeAll
    static void fitOnPrices() {
        train = RegressionFrames.frame(SPARK.session(), RegressionFrames.rows(2000, 1));
        test = RegressionFrames.frame(SPARK.session(), RegressionFrames.rows(400, 2));
        VectorAssembler assembler = new VectorAssembler().setInputCols(RegressionFrames.FEATURES)
                .setOutputCol("features");
        NablaRegressor nabla = new NablaRegressor().setHiddenLayers(64).setLr(0.003).setEpochs(12).setSeed(3)
                .setLabelCol("y");
        fitted = new Pipeline().setStages(new PipelineStage[] {assembler, nabla}).fit(train);
    }

    private static NablaRegressionModel nablaModel(PipelineModel pipeline) {
        return (NablaRegressionModel) pipeline.stages()[1];
    }

    @SuppressWarnings("unchecked")
    private static String json(NablaRegressor nabla, Param<?> param) {
        return nabla.isDefined(param) ? ((Param<Object>) param).jsonEncode(nabla.getOrDefault(param)) : "undefined";
    }

    @Test
    void aPipelineOfVectorAssemblerAndNablaRegressorPredictsTheTestRowsInTheLabelsUnits() {
        Dataset<Row> predicted = fitted.transform(test);
        RegressionEvaluator evaluator = new RegressionEvaluator().setLabelCol("y");
        double r2 = evaluator.setMetricName("r2").evaluate(predicted);
        double rmse = evaluator.setMetricName("rmse").evaluate(predicted);
        System.out.printf(Locale.ROOT, "NablaRegressor on the test rows: R² %.4f, RMSE %.2f%n", r2, rmse);
        assertTrue(r2 > 0.95, "test R² " + r2);
        // y's standard deviation is about 210: errors in y's units are tens, not fractions of one
        assertTrue(rmse > 2 && rmse < 200 * Math.sqrt(1 - 0.95), "RMSE " + rmse);
        assertEquals(test.count(), predicted.count());
        assertEquals(fitted.transformSchema(test.schema()).apply("prediction"),
                predicted.schema().apply("prediction"));
    }

    @Test
    void theModelKeepsItsParamsAndPredictsOneRowAsTransformDoes() {
        NablaRegressionModel model = nablaModel(fitted);
        assertArrayEquals(new int[] {64}, model.getHiddenLayers());
        assertEquals("mse", model.getLoss());
        assertEquals(5, model.numFeatures());
        assertEquals(1, model.spec().outputs());
        float[] mean = model.labelScaling().mean();
        assertTrue(mean[0] > 450 && mean[0] < 650, "the label's mean " + mean[0]);
        for (Row row : fitted.transform(test).select("features", "prediction").takeAsList(5)) {
            assertEquals(row.getDouble(1), model.predict((Vector) row.getAs(0)), 0.0);
        }
    }

    @Test
    void aSavedPipelineModelLoadsAndPredictsExactlyWhatItDidAndNablaPredictReadsItsWeights(@TempDir Path dir)
            throws Exception {
        String path = dir.resolve("pipeline").toString();
        fitted.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        NablaRegressionModel model = nablaModel(loaded);
        assertEquals(nablaModel(fitted).labelScaling(), model.labelScaling());
        assertEquals(nablaModel(fitted).featureScaling(), model.featureScaling());
        Map<String, float[]> before = nablaModel(fitted).weights();
        model.weights().forEach((name, values) -> assertArrayEquals(before.get(name), values, name));
        List<Row> expected = fitted.transform(test).select("prediction").collectAsList();
        assertEquals(expected, loaded.transform(test).select("prediction").collectAsList());

        Path weights = dir.resolve("pipeline/stages/1_" + model.uid()).resolve(ModelStore.WEIGHTS);
        ModelFile.Loaded file = ModelFile.load(weights);
        assertEquals(List.of("y"), file.description().regression().targets());
        List<String> lines = new ArrayList<>(List.of(String.join(",", RegressionFrames.FEATURES)));
        List<Row> rows = test.limit(3).collectAsList();
        for (Row r : rows) {
            lines.add(String.format(Locale.ROOT, "%s,%s,%s,%s,%s", r.getDouble(0), r.getDouble(1), r.getDouble(2),
                    r.getDouble(3), r.getDouble(4)));
        }
        Path csv = Files.write(dir.resolve("three.csv"), lines);
        StringWriter out = new StringWriter();
        assertEquals(0, Main.run(new String[] {"predict", "--model", weights.toString(), "--input", csv.toString(),
            "--json"}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true)));
        String[] outLines = out.toString().strip().split("\n");
        JsonNode json = new ObjectMapper().readTree(outLines[outLines.length - 1]);
        for (int i = 0; i < 3; i++) {
            double spark = expected.get(i).getDouble(0);
            double cli = json.get("predictions").get(i).get("values").get("y").asDouble();
            assertEquals(spark, cli, 1e-4 * Math.abs(spark), "row " + i);
        }
        var wrongKind = assertThrows(Exception.class, () -> NablaClassificationModel.load(
                dir.resolve("pipeline/stages/1_" + model.uid()).toString()));
        assertTrue(wrongKind.getMessage().contains("NablaRegressionModel"), wrongKind.getMessage());
    }

    @Test
    void aSavedEstimatorLoadsWithItsParams(@TempDir Path dir) throws Exception {
        NablaRegressor nabla = new NablaRegressor().setHiddenLayers(32, 16).setActivation("tanh").setBatchNorm(true)
                .setLoss("huber").setOptimizer("sgd").setLr(0.05).setMomentum(0.8).setBatchSize(32).setShards(2)
                .setSeed(9).setLabelCol("y");
        nabla.write().save(dir.resolve("estimator").toString());
        NablaRegressor loaded = NablaRegressor.load(dir.resolve("estimator").toString());
        for (Param<?> param : nabla.params()) {
            assertEquals(nabla.isSet(param), loaded.isSet(param), param.name());
            assertEquals(json(nabla, param), json(loaded, param), param.name());
        }
        assertEquals("huber", loaded.getLoss());
        assertTrue(nabla.params().length > 0 && java.util.Arrays.stream(nabla.params())
                .noneMatch(param -> param.name().equals("classes")), "a regressor has no classes param");
        assertThrows(IllegalArgumentException.class, () -> nabla.setLoss("hinge"));
    }

    @Test
    void aLabelThatIsNotAFiniteNumberIsRefusedNamingTheRow() {
        double[][] rows = RegressionFrames.rows(8, 5);
        rows[6][5] = Double.NaN;
        Dataset<Row> frame = new VectorAssembler().setInputCols(RegressionFrames.FEATURES).setOutputCol("features")
                .transform(RegressionFrames.frame(SPARK.session(), rows));
        var e = assertThrows(IllegalArgumentException.class, () -> new NablaRegressor().setLabelCol("y")
                .setBatchSize(4).setShards(2).setEpochs(1).fit(frame));
        assertTrue(e.getMessage().contains("column 'y' holds NaN at row 6"), e.getMessage());
        var text = assertThrows(IllegalArgumentException.class, () -> new NablaRegressor().setLabelCol("name")
                .fit(frame.withColumn("name", org.apache.spark.sql.functions.lit("x"))));
        assertTrue(text.getMessage().contains("column 'name' holds string values, but NablaRegressor predicts "
                + "numbers"), text.getMessage());
    }
}
