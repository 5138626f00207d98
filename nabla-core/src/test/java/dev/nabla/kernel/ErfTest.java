package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nabla.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** {@link Erf#erf} against Python's {@code math.erf} ({@code fixtures/erf.json}, from tools/fixtures/activations.py). */
class ErfTest {
    @Test
    void agreesWithPythonsErfToARelativeOneInAQuadrillion() {
        JsonNode c = Fixtures.load("erf.json").get("erf");
        JsonNode xs = c.get("x");
        JsonNode expected = c.get("erf");
        assertTrue(xs.size() > 200);
        for (int i = 0; i < xs.size(); i++) {
            double x = xs.get(i).asDouble();
            double want = expected.get(i).asDouble();
            double got = Erf.erf(x);
            assertTrue(Math.abs(got - want) <= 1e-15 * Math.abs(want) + Double.MIN_VALUE,
                    "erf(" + x + ") = " + got + ", Python: " + want);
        }
    }

    @Test
    void isOddSaturatesAndPassesNaN() {
        assertEquals(-Erf.erf(0.7), Erf.erf(-0.7));
        assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Erf.erf(-100));
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
        assertEquals(0.0, Erf.erf(0.0));
    }
}
