package dev.nabla.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.Dataset;
import dev.nabla.data.Standardization;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

class RegressionMetricsTest {
    private static Dataset data(float[] targets, int width) {
        return Dataset.regression("r", new float[targets.length / width], Shape.of(1), targets, width);
    }

    @Test
    void maeRmseAndR2AreScikitLearnsFigures() {
        // sklearn.metrics on y = [3, -0.5, 2, 7], ŷ = [2.5, 0, 2, 8]: MAE 0.5, MSE 0.375, r2_score 0.9486081370449679
        float[] y = {3, -0.5f, 2, 7};
        RegressionMetrics m = new RegressionMetrics(data(y, 1));
        m.add(Tensor.of(new float[] {2.5f, 0}, 2, 1), Tensor.of(new float[] {3, -0.5f}, 2, 1));
        m.add(Tensor.of(new float[] {2, 8}, 2, 1), Tensor.of(new float[] {2, 7}, 2, 1));
        assertEquals(0.5, m.mae(), 1e-12);
        assertEquals(Math.sqrt(0.375), m.rmse(), 1e-12);
        assertEquals(0.9486081370449679, m.r2(), 1e-12);
    }

    @Test
    void severalTargetsAverageR2OverTheColumnsAndAConstantColumnScoresAsScikitLearn() {
        // columns (1, 2, 3) predicted exactly: R² 1; a constant column (5, 5, 5) predicted as 5, 5, 6: R² 0
        float[] y = {1, 5, 2, 5, 3, 5};
        RegressionMetrics m = new RegressionMetrics(data(y, 2));
        m.add(Tensor.of(new float[] {1, 5, 2, 5, 3, 6}, 3, 2), Tensor.of(y, 3, 2));
        assertEquals(0.5, m.r2(), 1e-12);
        assertEquals(1.0 / 6, m.mae(), 1e-12);
    }

    @Test
    void errorsOfStandardizedTargetsAreToldInTheTargetsUnits() {
        float[] y = {100, 200, 300, 400};
        Dataset raw = data(y, 1);
        Standardization scaling = Standardization.ofTargets(raw);
        Dataset scaled = raw.standardized(null, scaling);
        float[] t = scaled.targets();
        float[] off = t.clone();
        for (int i = 0; i < off.length; i++) {
            off[i] += 10 / scaling.std(0);   // 10 units too high, in the standardized scale
        }
        RegressionMetrics inUnits = new RegressionMetrics(scaled);
        inUnits.add(Tensor.of(off, 4, 1), Tensor.of(t, 4, 1));
        RegressionMetrics direct = new RegressionMetrics(raw);
        direct.add(Tensor.of(new float[] {110, 210, 310, 410}, 4, 1), Tensor.of(y, 4, 1));
        assertEquals(10, inUnits.mae(), 1e-4);
        assertEquals(10, inUnits.rmse(), 1e-4);
        assertEquals(direct.r2(), inUnits.r2(), 1e-6);
    }

    @Test
    void classificationDataAndMismatchedShapesAreRefused() {
        Dataset labels = new Dataset("c", new float[] {1, 2}, Shape.of(1), new int[] {0, 1}, 2);
        assertThrows(IllegalArgumentException.class, () -> new RegressionMetrics(labels));
        RegressionMetrics m = new RegressionMetrics(data(new float[] {1, 2}, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.add(Tensor.of(new float[] {1, 2}, 1, 2), Tensor.of(new float[] {1, 2},
                        2, 1)));
        assertTrue(e.getMessage().contains("both must be [batch, 1]"), e.getMessage());
    }
}
