package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.ops.Activation;
import dev.nabla.tensor.Rng;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A spec travels to a cluster's workers by Java serialization and builds the same network there. */
class ModelSpecSerializationTest {
    private static ModelSpec roundTrip(ModelSpec spec) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(spec);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (ModelSpec) in.readObject();
        }
    }

    @Test
    void everyKindOfSpecComesBackEqualAndBuildsTheSameWeights() throws Exception {
        for (ModelSpec spec : List.of(
                new MlpSpec(64, List.of(32, 16), 10, Activation.TANH, Init.Scheme.HE, true, 0.2),
                new RecurrentSpec(RecurrentSpec.Kind.LSTM, 8, 8, List.of(16), 10, Activation.TANH, 1.0, 0.1),
                new CnnSpec(8, 8, List.of(4), List.of(16), 10, true, 0.0))) {
            ModelSpec back = roundTrip(spec);
            assertEquals(spec, back);
            Module there = back.build(new Rng(4));
            spec.build(new Rng(4)).namedState().forEach((name, t) ->
                    assertArrayEquals(t.data(), there.namedState().get(name).data(), spec + " " + name));
        }
    }
}
