package dev.nabla.cli;

import dev.nabla.cli.values.Converters;
import dev.nabla.loss.RegressionLoss;
import dev.nabla.loss.RegressionLossKind;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --loss}: the loss as the command line names it. {@code cross_entropy} for classification; for regression
 * {@code mse} (PyTorch's {@code MSELoss}), {@code l1} ({@code L1Loss}), {@code huber[:DELTA]} ({@code HuberLoss},
 * δ default 1) and {@code smooth_l1[:BETA]} ({@code SmoothL1Loss}, β default 1), each the mean over every value.
 *
 * @param text      as given
 * @param name      the loss's name
 * @param parameter Huber's δ or smooth L1's β (NaN for the others)
 */
record LossChoice(String text, String name, double parameter) {
    /** The classification loss. */
    static final LossChoice CROSS_ENTROPY = new LossChoice("cross_entropy", "cross_entropy", Double.NaN);
    /** The default regression loss. */
    static final LossChoice MSE = new LossChoice("mse", "mse", Double.NaN);
    private static final List<String> NAMES = Stream.concat(Stream.of("cross_entropy"),
            Arrays.stream(RegressionLossKind.values()).map(RegressionLossKind::toString)).toList();

    /** True for the losses of regression. */
    boolean regression() {
        return !name.equals("cross_entropy");
    }

    /** The regression loss; only for {@link #regression()} choices. */
    RegressionLoss regressionLoss() {
        return RegressionLossKind.valueOf(name.toUpperCase(Locale.ROOT)).create(parameter);
    }

    /** Reads {@code --loss}'s value. */
    static final class Converter implements ITypeConverter<LossChoice> {
        @Override
        public LossChoice convert(String value) {
            String text = value.strip().toLowerCase(Locale.ROOT);
            String name = text.contains(":") ? text.substring(0, text.indexOf(':')) : text;
            if (!NAMES.contains(name)) {
                String guess = Converters.closest(name, NAMES);
                throw new TypeConversionException("'" + value + "' is not one of cross_entropy, mse, l1, huber[:DELTA], "
                        + "smooth_l1[:BETA]" + (guess != null ? ": did you mean " + guess + "?" : ""));
            }
            double parameter = Double.NaN;
            if (text.contains(":")) {
                if (name.equals("cross_entropy")
                        || !RegressionLossKind.valueOf(name.toUpperCase(Locale.ROOT)).hasParameter()) {
                    throw new TypeConversionException("'" + value + "': " + name + " takes no parameter");
                }
                try {
                    parameter = new Converters.PositiveNumber().convert(text.substring(text.indexOf(':') + 1));
                } catch (TypeConversionException e) {
                    throw new TypeConversionException("'" + value + "': " + name + "'s "
                            + (name.equals("huber") ? "DELTA" : "BETA") + " after the colon " + e.getMessage()
                            + ", e.g. " + name + ":1.0");
                }
            }
            return new LossChoice(value.strip(), name, parameter);
        }
    }
}
