package dev.nabla.cli;

import dev.nabla.nn.MlpSpec;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * One network configuration of {@code nabla gradflow}, as written in {@code --compare}: an activation, then
 * options separated by commas, e.g. {@code relu,init=he}, {@code sigmoid,batchnorm}, {@code relu,init=normal,clip-norm=1}.
 *
 * @param activation relu, sigmoid, tanh or leaky_relu
 * @param init       an initialisation scheme of {@link MlpSpec#INITS}
 * @param batchNorm  BatchNorm1d between each hidden Linear and its activation
 * @param clipNorm   the gradient-norm cap, or null for none
 */
record GradflowConfig(String activation, String init, boolean batchNorm, Double clipNorm) {
    /** How the configuration is written: the shortest form that {@link #parse} reads back. */
    String label() {
        StringBuilder sb = new StringBuilder(activation);
        if (!init.equals("default")) {
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
        String activation = parts[0].strip();
        String init = defaults.init();
        boolean batchNorm = defaults.batchNorm();
        Double clipNorm = defaults.clipNorm();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].strip();
            String key = part.contains("=") ? part.substring(0, part.indexOf('=')).strip() : part;
            String value = part.contains("=") ? part.substring(part.indexOf('=') + 1).strip() : null;
            switch (key) {
                case "init" -> init = require(text, key, value);
                case "batchnorm", "bn" -> batchNorm = value == null || Boolean.parseBoolean(value);
                case "clip-norm" -> clipNorm = number(text, require(text, key, value));
                default -> throw new CommandLine.TypeConversionException("'" + part + "' in '" + text + "' is not an "
                        + "option of a configuration: use init=NAME, batchnorm or clip-norm=X, e.g. relu,init=he");
            }
        }
        if (!TrainCommand.ACTIVATIONS.contains(activation)) {
            throw new CommandLine.TypeConversionException("'" + activation + "' in '" + text + "' is not an activation: "
                    + "start each configuration with one of " + String.join(", ", TrainCommand.ACTIVATIONS));
        }
        if (!MlpSpec.INITS.contains(init)) {
            throw new CommandLine.TypeConversionException("init '" + init + "' in '" + text + "' is not one of "
                    + String.join(", ", MlpSpec.INITS));
        }
        return new GradflowConfig(activation, init, batchNorm, clipNorm);
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
        return configs;
    }

    private static String require(String text, String key, String value) {
        if (value == null || value.isEmpty()) {
            throw new CommandLine.TypeConversionException("'" + key + "' in '" + text + "' needs a value: " + key + "=…");
        }
        return value;
    }

    private static Double number(String text, String value) {
        try {
            double v = Double.parseDouble(value);
            if (v > 0 && Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.TypeConversionException("clip-norm=" + value + " in '" + text + "' must be a positive number");
    }
}
