package dev.nabla.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reference values computed by PyTorch, read from the JSON files under {@code src/test/resources/fixtures}.
 * The generators that wrote them are in {@code tools/fixtures/} (run with Debian's python3-torch).
 *
 * <p>Layout: {@code {"generator": "...", "torch": "1.13.0", "cases": {"name": {...}}}}, where a tensor is
 * {@code {"shape": [2, 3], "data": [ ... row-major ... ]}}; non-finite values are the strings
 * {@code "nan"}, {@code "inf"} and {@code "-inf"}.
 */
public final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode cases;
    private final String file;

    private Fixtures(String file, JsonNode root) {
        this.file = file;
        this.cases = root.get("cases");
    }

    /** Loads {@code fixtures/<file>} from the test class path. */
    public static Fixtures load(String file) {
        String path = "/fixtures/" + file;
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path + ": run its generator in tools/fixtures");
            }
            return new Fixtures(file, JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One named case. */
    public JsonNode get(String name) {
        JsonNode c = cases.get(name);
        if (c == null) {
            throw new IllegalArgumentException("fixture " + file + " has no case '" + name + "'");
        }
        return c;
    }

    /** Whether the file has a case of this name. */
    public boolean has(String name) {
        return cases.has(name);
    }

    /** Names of all cases, in file order. */
    public Iterable<String> names() {
        return cases::fieldNames;
    }

    /** A tensor from {@code {"shape": [...], "data": [...]}}. */
    public static Tensor tensor(JsonNode node) {
        JsonNode shapeNode = node.get("shape");
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asInt();
        }
        JsonNode data = node.get("data");
        float[] values = new float[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = number(data.get(i));
        }
        return shape.length == 0 ? Tensor.scalar(values[0]) : Tensor.of(values, shape);
    }

    /** An int array from a JSON array of integers. */
    public static int[] ints(JsonNode node) {
        int[] out = new int[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asInt();
        }
        return out;
    }

    /** A float from a JSON number or one of the strings "nan", "inf", "-inf". */
    public static float number(JsonNode v) {
        if (v.isTextual()) {
            return switch (v.asText()) {
                case "nan" -> Float.NaN;
                case "inf" -> Float.POSITIVE_INFINITY;
                case "-inf" -> Float.NEGATIVE_INFINITY;
                default -> throw new IllegalArgumentException("not a number: " + v);
            };
        }
        return (float) v.asDouble();
    }
}
