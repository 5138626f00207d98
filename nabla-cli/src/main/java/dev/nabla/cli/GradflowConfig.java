package dev.nabla.cli;

import dev.nabla.cli.values.Converters;
import dev.nabla.nn.Init;
import dev.nabla.nn.RecurrentSpec;
import dev.nabla.ops.Activation;
import dev.nabla.tensor.Numbers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/**
 * One network configuration of {@code nabla gradflow}, as written in {@code --compare}: an activation, then
 * options separated by commas, e.g. {@code relu,init=he}, {@code sigmoid,batchnorm}, {@code relu,init=normal,clip-norm=1};
 * or a recurrent layer through time: {@code rnn}, {@code rnn,relu}, {@code lstm}, {@code lstm,forget-bias=1},
 * {@code gru}.
 *
 * @param activation the activation of the hidden layers (an RNN's: tanh or relu; tanh for LSTM and GRU)
 * @param init       how the layers are initialised
 * @param batchNorm  BatchNorm1d between each hidden Linear and its activation
 * @param clipNorm   the gradient-norm cap, or null for none
 * @param recurrent  the recurrent layer, or null for a deep MLP
 * @param forgetBias an LSTM's forget-gate bias at initialisation, or NaN for PyTorch's initialisation
 */
record GradflowConfig(Activation activation, Init.Scheme init, boolean batchNorm, Double clipNorm,
                      RecurrentSpec.Kind recurrent, double forgetBias) {
    private static final Converters.Choice<Activation> ACTIVATIONS = new Converters.Choice<>(Activation.class);
    private static final Converters.Choice<Init.Scheme> INITS = new Converters.Choice<>(Init.Scheme.class);
    private static final Converters.Choice<RecurrentSpec.Kind> RECURRENT =
            new Converters.Choice<>(RecurrentSpec.Kind.class);

    /** A deep MLP's configuration. */
    GradflowConfig(Activation activation, Init.Scheme init, boolean batchNorm, Double clipNorm) {
        this(activation, init, batchNorm, clipNorm, null, Double.NaN);
    }

    /** True for a recurrent layer, whose gradient is followed through time. */
    boolean isRecurrent() {
        return recurrent != null;
    }

    /** How the configuration is written: the shortest form that {@link #parse} reads back. */
    String label() {
        if (isRecurrent()) {
            return recurrent + (activation != Activation.TANH ? "," + activation : "")
                    + (Double.isNaN(forgetBias) ? "" : ",forget-bias=" + Numbers.plain(forgetBias));
        }
        StringBuilder sb = new StringBuilder(activation.toString());
        if (init != Init.Scheme.DEFAULT) {
            sb.append(",init=").append(init);
        }
        if (batchNorm) {
            sb.append(",batchnorm");
        }
        if (clipNorm != null) {
            sb.append(",clip-norm=").append(Numbers.plain(clipNorm));
        }
        return sb.toString();
    }

    /** Parses one configuration; {@code defaults} supplies what it does not say. */
    static GradflowConfig parse(String text, GradflowConfig defaults) {
        String[] parts = text.strip().split(",");
        if (isRecurrentName(parts[0])) {
            return parseRecurrent(text, parts);
        }
        Activation activation = read(ACTIVATIONS, parts[0], text, "the activation it starts with");
        Init.Scheme init = defaults.init();
        boolean batchNorm = defaults.batchNorm();
        Double clipNorm = defaults.clipNorm();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].strip();
            String key = part.contains("=") ? part.substring(0, part.indexOf('=')).strip() : part;
            String value = part.contains("=") ? part.substring(part.indexOf('=') + 1).strip() : null;
            switch (key) {
                case "init" -> init = read(INITS, require(text, key, value), text, "init=" + value);
                case "batchnorm", "bn" -> batchNorm = value == null || Boolean.parseBoolean(value);
                case "clip-norm" -> clipNorm = read(new Converters.PositiveNumber(), require(text, key, value), text,
                        "clip-norm=" + value);
                default -> throw new CommandLine.TypeConversionException("'" + part + "' in '" + text + "' is not an "
                        + "option of a configuration: use init=NAME, batchnorm or clip-norm=X, e.g. relu,init=he");
            }
        }
        return new GradflowConfig(activation, init, batchNorm, clipNorm);
    }

    private static boolean isRecurrentName(String name) {
        return Arrays.stream(RecurrentSpec.Kind.values()).anyMatch(k -> k.toString().equalsIgnoreCase(name.strip()));
    }

    /** A recurrent configuration: {@code rnn}, {@code rnn,relu}, {@code lstm,forget-bias=1}, {@code gru}. */
    private static GradflowConfig parseRecurrent(String text, String[] parts) {
        RecurrentSpec.Kind kind = read(RECURRENT, parts[0], text, "the layer it starts with");
        Activation activation = Activation.TANH;
        double forgetBias = Double.NaN;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].strip();
            String key = part.contains("=") ? part.substring(0, part.indexOf('=')).strip() : part;
            String value = part.contains("=") ? part.substring(part.indexOf('=') + 1).strip() : null;
            if (kind == RecurrentSpec.Kind.RNN && (key.equals("relu") || key.equals("tanh")) && value == null) {
                activation = read(ACTIVATIONS, key, text, key);
            } else if (kind == RecurrentSpec.Kind.LSTM && key.equals("forget-bias")) {
                forgetBias = read(new Converters.FiniteNumber(), require(text, key, value), text, part);
            } else {
                throw new CommandLine.TypeConversionException("'" + part + "' in '" + text + "' is not an option of "
                        + "a recurrent configuration: an rnn takes relu or tanh, an lstm forget-bias=X, e.g. "
                        + "\"rnn;rnn,relu;lstm;lstm,forget-bias=1;gru\"");
            }
        }
        return new GradflowConfig(activation, Init.Scheme.DEFAULT, false, null, kind, forgetBias);
    }

    /** {@code value} read by {@code converter}, or an error that says where in {@code text} it stands. */
    private static <T> T read(CommandLine.ITypeConverter<T> converter, String value, String text, String what) {
        try {
            return converter.convert(value.strip());
        } catch (Exception e) {
            throw new CommandLine.TypeConversionException(what + " in '" + text + "': " + e.getMessage());
        }
    }

    /** Parses {@code --compare}: configurations separated by semicolons. */
    static List<GradflowConfig> parseList(String text, GradflowConfig defaults) {
        List<GradflowConfig> configs = new ArrayList<>();
        for (String one : text.split(";")) {
            if (!one.isBlank()) {
                configs.add(parse(one, defaults));
            }
        }
        if (configs.isEmpty()) {
            throw new CommandLine.TypeConversionException("--compare needs at least one configuration, e.g. "
                    + "--compare \"sigmoid;relu,init=he;sigmoid,batchnorm\"");
        }
        if (configs.stream().anyMatch(GradflowConfig::isRecurrent) && !configs.stream().allMatch(GradflowConfig::isRecurrent)) {
            throw new CommandLine.TypeConversionException("'" + text + "' mixes deep networks (gradient through the "
                    + "layers) with recurrent ones (gradient through time): compare them in two runs");
        }
        return configs;
    }

    private static String require(String text, String key, String value) {
        if (value == null || value.isEmpty()) {
            throw new CommandLine.TypeConversionException("'" + key + "' in '" + text + "' needs a value: " + key + "=…");
        }
        return value;
    }
}
