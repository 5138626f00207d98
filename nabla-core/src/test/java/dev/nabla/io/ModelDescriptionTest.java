package dev.nabla.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.Standardization;
import dev.nabla.nn.Init;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.RecurrentSpec;
import dev.nabla.ops.Activation;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelDescriptionTest {
    private static final MlpSpec REGRESSOR = new MlpSpec(2, List.of(8), 1, Activation.RELU, Init.Scheme.DEFAULT);

    private static ModelDescription.Regression scaling() {
        return new ModelDescription.Regression(List.of("price"),
                new Standardization(new float[] {0.1f, -3e5f}, new float[] {1.7f, 0.3333333f}),
                new Standardization(new float[] {123456.78f}, new float[] {9876.5f}));
    }

    @Test
    void aRegressionModelKeepsItsTargetsAndBothStandardizationsExactly() {
        ModelDescription d = new ModelDescription(REGRESSOR, 2, List.of(), List.of("a", "b"), List.of(), "houses.csv",
                scaling());
        String json = d.toJson();
        assertTrue(json.contains("\"task\":\"regression\""), json);
        ModelDescription back = ModelDescription.fromJson(json);
        assertEquals(d, back, "float32 figures survive JSON bit for bit");
        assertTrue(back.isRegression());
        assertEquals(List.of("price"), back.regression().targets());
    }

    @Test
    void aClassifiersDescriptionHasNoTaskAndReadsAsBefore() {
        MlpSpec classifier = new MlpSpec(2, List.of(8), 3, Activation.RELU, Init.Scheme.DEFAULT);
        ModelDescription d = new ModelDescription(classifier, 2, List.of(), List.of(), List.of("a", "b", "c"), "x");
        assertFalse(d.toJson().contains("task"));
        ModelDescription back = ModelDescription.fromJson(d.toJson());
        assertNull(back.regression());
        assertEquals(d, back);
    }

    @Test
    void aRecurrentModelKeepsTheStandardizationOfItsInputsExactlyAndOneWithoutReadsAsBefore() {
        RecurrentSpec plain = new RecurrentSpec(RecurrentSpec.Kind.LSTM, 28, 28, List.of(128), 10, Activation.TANH,
                Double.NaN);
        RecurrentSpec scaled = plain.withInputScaling(0.28604034f, 0.35302424f);
        for (RecurrentSpec spec : List.of(plain, scaled)) {
            ModelDescription d = new ModelDescription(spec, 784, List.of(28, 28), List.of(),
                    List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), "fashion-mnist");
            String json = d.toJson();
            assertEquals(spec.scalesInputs(), json.contains("\"input_mean\"") && json.contains("\"input_std\""), json);
            assertEquals(d, ModelDescription.fromJson(json), "float32 figures survive JSON bit for bit");
        }
    }

    @Test
    void anEmptyDescriptionOrOneThatIsNoObjectIsRefusedWithAMessage() {
        var empty = assertThrows(IllegalArgumentException.class, () -> ModelDescription.fromJson(""));
        var list = assertThrows(IllegalArgumentException.class, () -> ModelDescription.fromJson("[1]"));

        assertTrue(empty.getMessage().contains("is empty"), empty.getMessage());
        assertTrue(list.getMessage().contains("is a JSON array, not an object"), list.getMessage());
    }

    @Test
    void partsThatDisagreeAreRefused() {
        IllegalArgumentException classes = assertThrows(IllegalArgumentException.class, () -> new ModelDescription(
                REGRESSOR, 2, List.of(), List.of(), List.of("x"), "d", scaling()));
        assertTrue(classes.getMessage().contains("needs no classes and one target name per output"),
                classes.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ModelDescription.Regression(List.of("a", "b"),
                new Standardization(new float[] {0}, new float[] {1}), new Standardization(new float[] {0},
                new float[] {1})));
        String json = new ModelDescription(REGRESSOR, 2, List.of(), List.of(), List.of(), "d", scaling()).toJson()
                .replace("\"task\":\"regression\"", "\"task\":\"ranking\"");
        IllegalArgumentException task = assertThrows(IllegalArgumentException.class,
                () -> ModelDescription.fromJson(json));
        assertTrue(task.getMessage().contains("task 'ranking' is not classification or regression"),
                task.getMessage());
    }
}
