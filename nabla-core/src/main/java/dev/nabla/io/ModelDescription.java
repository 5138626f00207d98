package dev.nabla.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nabla.data.Standardization;
import dev.nabla.nn.CnnSpec;
import dev.nabla.nn.Init;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.ModelSpec;
import dev.nabla.nn.RecurrentSpec;
import dev.nabla.ops.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a saved model needs besides its weights to be rebuilt and used without code: the model's {@link ModelSpec},
 * what one input is (its number of features and, for a model trained on greyscale images, their height and width:
 * an image to classify is converted to grey, resized to that and scaled to [0, 1] as the training images were),
 * the classes' names (or, for a regression model, its targets' names and the standardization of inputs and targets
 * fitted on its training data), and the data it was trained on. Saved as JSON in the safetensors metadata under
 * {@link #METADATA_KEY}.
 *
 * @param spec     the network, as {@code nabla train} builds it
 * @param features the values of one input
 * @param image    {@code [height, width]} when the inputs are greyscale images with pixels in [0, 1], else empty
 * @param columns  the features' names when they came from a CSV file's columns, else empty
 * @param classes    the classes' names, index by index (empty for a regression model)
 * @param data       the training data's name, as {@code --data} gave it
 * @param regression what a regression model predicts and how its numbers are scaled, or null for a classifier
 */
public record ModelDescription(ModelSpec spec, int features, List<Integer> image, List<String> columns,
                               List<String> classes, String data, Regression regression) {
    /** The metadata key of the description. */
    public static final String METADATA_KEY = "nabla.model";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A regression model's targets, and the standardizations of its inputs and targets fitted on its training data:
     * an input is standardized before the model sees it, and the model's output is turned back into the targets'
     * units.
     *
     * @param targets        the target columns' names, one per output
     * @param featureScaling the inputs' standardization, one column per feature
     * @param targetScaling  the targets' standardization, one column per target
     */
    public record Regression(List<String> targets, Standardization featureScaling, Standardization targetScaling) {
        /** @throws IllegalArgumentException when the widths do not agree */
        public Regression {
            targets = List.copyOf(targets);
            Objects.requireNonNull(featureScaling, "featureScaling");
            if (targetScaling.width() != targets.size()) {
                throw new IllegalArgumentException("a target standardization of " + targetScaling.width()
                        + " columns for the " + targets.size() + " targets " + targets);
            }
        }
    }

    /** A classifier's description. */
    public ModelDescription(ModelSpec spec, int features, List<Integer> image, List<String> columns,
                            List<String> classes, String data) {
        this(spec, features, image, columns, classes, data, null);
    }

    /** @throws IllegalArgumentException when the parts do not agree with each other */
    public ModelDescription {
        Objects.requireNonNull(spec, "spec");
        image = List.copyOf(image);
        columns = List.copyOf(columns);
        classes = List.copyOf(classes);
        Objects.requireNonNull(data, "data");
        if (!image.isEmpty() && (image.size() != 2 || image.get(0) * image.get(1) != features)) {
            throw new IllegalArgumentException("an image input is [height, width] with height × width = " + features
                    + " features, got " + image);
        }
        if (!columns.isEmpty() && columns.size() != features) {
            throw new IllegalArgumentException(columns.size() + " column names for " + features + " features");
        }
        int outputs = switch (spec) {
            case MlpSpec m -> m.outputs();
            case RecurrentSpec r -> r.classes();
            case CnnSpec c -> c.classes();
        };
        if (regression == null && classes.size() != outputs) {
            throw new IllegalArgumentException(classes.size() + " class names for a model of " + outputs + " outputs");
        }
        if (regression != null && (!classes.isEmpty() || regression.targets().size() != outputs
                || regression.featureScaling().width() != features)) {
            throw new IllegalArgumentException("a regression model of " + features + " inputs and " + outputs
                    + " outputs needs no classes and one target name per output, got " + classes + " and "
                    + regression.targets() + ", and a standardization of its " + features + " features, got "
                    + regression.featureScaling().width());
        }
    }

    /** True for a regression model, which predicts {@link Regression#targets()} rather than a class. */
    public boolean isRegression() {
        return regression != null;
    }

    /** The description as the JSON string saved in the metadata. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", 1);
        ObjectNode model = root.putObject("spec");
        switch (spec) {
            case MlpSpec m -> {
                model.put("kind", "mlp");
                model.put("inputs", m.inputs());
                ints(model.putArray("hidden"), m.hidden());
                model.put("outputs", m.outputs());
                model.put("activation", m.activation().name());
                model.put("init", m.init().name());
                model.put("batchnorm", m.batchNorm());
                model.put("dropout", m.dropout());
            }
            case RecurrentSpec r -> {
                model.put("kind", r.kind().name());
                model.put("steps", r.steps());
                model.put("features", r.features());
                ints(model.putArray("hidden"), r.hidden());
                model.put("classes", r.classes());
                model.put("nonlinearity", r.nonlinearity().name());
                if (!Double.isNaN(r.forgetBias())) {
                    model.put("forget_bias", r.forgetBias());
                }
                model.put("dropout", r.dropout());
                if (r.scalesInputs()) {
                    model.put("input_mean", r.inputMean());
                    model.put("input_std", r.inputStd());
                }
            }
            case CnnSpec c -> {
                model.put("kind", "cnn");
                model.put("height", c.height());
                model.put("width", c.width());
                ints(model.putArray("channels"), c.channels());
                ints(model.putArray("hidden"), c.hidden());
                model.put("classes", c.classes());
                model.put("batchnorm", c.batchNorm());
                model.put("dropout", c.dropout());
            }
        }
        ObjectNode input = root.putObject("input");
        input.put("features", features);
        if (!image.isEmpty()) {
            ints(input.putArray("image"), image);
        }
        if (!columns.isEmpty()) {
            ArrayNode names = input.putArray("columns");
            columns.forEach(names::add);
        }
        ArrayNode names = root.putArray("classes");
        classes.forEach(names::add);
        if (regression != null) {
            root.put("task", "regression");
            ArrayNode targets = root.putArray("targets");
            regression.targets().forEach(targets::add);
            ObjectNode scaling = root.putObject("standardization");
            scaling(scaling.putObject("features"), regression.featureScaling());
            scaling(scaling.putObject("targets"), regression.targetScaling());
        }
        root.put("data", data);
        return root.toString();
    }

    private static void scaling(ObjectNode node, Standardization s) {
        ArrayNode mean = node.putArray("mean");
        for (float v : s.mean()) {
            mean.add(v);
        }
        ArrayNode std = node.putArray("std");
        for (float v : s.std()) {
            std.add(v);
        }
    }

    private static Standardization scaling(JsonNode node, String name) {
        JsonNode part = field(node, name);
        float[] mean = floats(part, "mean");
        float[] std = floats(part, "std");
        try {
            return new Standardization(mean, std);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the model description's standardization of the " + name + " is "
                    + "wrong: " + e.getMessage(), e);
        }
    }

    private static float[] floats(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isArray()) {
            throw new IllegalArgumentException("the model description's '" + name + "' is not a list: " + value);
        }
        float[] out = new float[value.size()];
        for (int i = 0; i < out.length; i++) {
            if (!value.get(i).isNumber()) {
                throw new IllegalArgumentException("the model description's '" + name + "' holds " + value.get(i)
                        + ", not a number");
            }
            out[i] = value.get(i).floatValue();
        }
        return out;
    }

    private static void ints(ArrayNode array, List<Integer> values) {
        values.forEach(array::add);
    }

    /**
     * Reads a description from its JSON.
     *
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    public static ModelDescription fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the model description is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the model description is " + (root == null || root.isMissingNode()
                    ? "empty" : "a JSON "
                    + root.getNodeType().name().toLowerCase(Locale.ROOT)) + ", not an object with spec, input and "
                    + "classes");
        }
        JsonNode s = field(root, "spec");
        String kind = text(s, "kind");
        ModelSpec spec;
        try {
            spec = switch (kind.toLowerCase(Locale.ROOT)) {
                case "mlp" -> new MlpSpec(integer(s, "inputs"), integers(s, "hidden"), integer(s, "outputs"),
                        Activation.valueOf(text(s, "activation")), Init.Scheme.valueOf(text(s, "init")),
                        field(s, "batchnorm").asBoolean(), s.has("dropout") ? s.get("dropout").asDouble() : 0);
                case "rnn", "lstm", "gru" -> new RecurrentSpec(RecurrentSpec.Kind.valueOf(kind.toUpperCase(Locale.ROOT)),
                        integer(s, "steps"), integer(s, "features"), integers(s, "hidden"), integer(s, "classes"),
                        Activation.valueOf(text(s, "nonlinearity")),
                        s.has("forget_bias") ? s.get("forget_bias").asDouble() : Double.NaN,
                        s.has("dropout") ? s.get("dropout").asDouble() : 0,
                        s.has("input_mean") ? s.get("input_mean").asDouble() : 0,
                        s.has("input_std") ? s.get("input_std").asDouble() : 1);
                case "cnn" -> new CnnSpec(integer(s, "height"), integer(s, "width"), integers(s, "channels"),
                        integers(s, "hidden"), integer(s, "classes"), field(s, "batchnorm").asBoolean(),
                        s.has("dropout") ? s.get("dropout").asDouble() : 0);
                default -> throw new IllegalArgumentException("model kind '" + kind + "' is not one of mlp, rnn, lstm, "
                        + "gru, cnn");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the model description does not describe a model Nabla builds: "
                    + e.getMessage(), e);
        }
        JsonNode input = field(root, "input");
        List<String> classes = new ArrayList<>();
        field(root, "classes").forEach(n -> classes.add(n.asText()));
        List<String> columns = new ArrayList<>();
        if (input.has("columns")) {
            input.get("columns").forEach(n -> columns.add(n.asText()));
        }
        Regression regression = null;
        if (root.has("task") && !text(root, "task").equals("classification")) {
            if (!text(root, "task").equals("regression")) {
                throw new IllegalArgumentException("the model description's task '" + text(root, "task") + "' is not "
                        + "classification or regression");
            }
            List<String> targets = new ArrayList<>();
            field(root, "targets").forEach(n -> targets.add(n.asText()));
            JsonNode scaling = field(root, "standardization");
            regression = new Regression(targets, scaling(scaling, "features"), scaling(scaling, "targets"));
        }
        return new ModelDescription(spec, integer(input, "features"),
                input.has("image") ? integers(input, "image") : List.of(), columns, classes,
                root.has("data") ? root.get("data").asText() : "", regression);
    }

    private static JsonNode field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("the model description has no '" + name + "'");
        }
        return value;
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("the model description's '" + name + "' is not a string: " + value);
        }
        return value.textValue();
    }

    private static int integer(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isInt()) {
            throw new IllegalArgumentException("the model description's '" + name + "' is not an integer: " + value);
        }
        return value.intValue();
    }

    private static List<Integer> integers(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isArray()) {
            throw new IllegalArgumentException("the model description's '" + name + "' is not a list: " + value);
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode n : value) {
            if (!n.isInt()) {
                throw new IllegalArgumentException("the model description's '" + name + "' holds " + n
                        + ", not an integer");
            }
            out.add(n.intValue());
        }
        return out;
    }
}
