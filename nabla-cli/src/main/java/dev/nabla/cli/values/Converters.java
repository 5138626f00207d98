package dev.nabla.cli.values;

import dev.nabla.ops.Checks;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * How the command line reads its values: numbers in range, and the library's enums by the names they print. A value
 * out of range is refused while the command line is parsed, so the message names the option (picocli puts "Invalid
 * value for option '--lr': " before the sentence given here) and nothing has started yet.
 */
public final class Converters {
    private Converters() {
    }

    /** A whole number of at least 1: sizes, counts, epochs. */
    public static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int v = wholeNumber(value);
            if (v < 1) {
                throw new TypeConversionException("must be at least 1, got " + v);
            }
            return v;
        }
    }

    /** Any whole number that fits in 32 bits; the command checks its range and says why. */
    public static final class WholeNumber implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumber(value);
        }
    }

    /** A seed: any whole number that fits in 64 bits. */
    public static final class Seed implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a whole number: a seed is any integer, "
                        + "e.g. 42");
            }
        }
    }

    /** A whole number of at least 0. */
    public static final class NonNegativeInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int v = wholeNumber(value);
            if (v < 0) {
                throw new TypeConversionException("must be 0 or more, got " + v);
            }
            return v;
        }
    }

    /** A finite number above 0: a learning rate, a clipping threshold. */
    public static final class PositiveNumber implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return checked(value, v -> Checks.positive("the value", v));
        }
    }

    /** Any finite number: a bias. */
    public static final class FiniteNumber implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return checked(value, v -> Checks.finite("the value", v));
        }
    }

    /** A finite number of 0 or more: a weight decay. */
    public static final class NonNegativeNumber implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return checked(value, v -> Checks.nonNegative("the value", v));
        }
    }

    /** A number in [0, 1): a momentum. */
    public static final class UnitOpenNumber implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return checked(value, v -> Checks.unitOpen("the value", v));
        }
    }

    /** A probability in [0, 1): dropout's. */
    public static final class DropoutProbability implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return checked(value, v -> {
                if (!(v >= 0 && v < 1)) {
                    throw new IllegalArgumentException("the value must be in [0, 1) (0 for none), got " + v);
                }
                return v;
            });
        }
    }

    /** A number strictly between 0 and 1: the part of a dataset held out. */
    public static final class Fraction implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return checked(value, v -> {
                if (!(v > 0 && v < 1)) {
                    throw new IllegalArgumentException("the value must be between 0 and 1 (both excluded), got " + v);
                }
                return v;
            });
        }
    }

    /**
     * One of an enum's constants, by the name it prints ({@code leaky_relu}) in any case; a mistyped name gets the
     * list of names and, when one is close, a guess.
     */
    public static final class Choice<E extends Enum<E>> implements ITypeConverter<E> {
        private final E[] constants;

        public Choice(Class<E> type) {
            this.constants = type.getEnumConstants();
        }

        @Override
        public E convert(String value) {
            for (E e : constants) {
                if (e.toString().equalsIgnoreCase(value.strip()) || e.name().equalsIgnoreCase(value.strip())) {
                    return e;
                }
            }
            List<String> names = Arrays.stream(constants).map(Object::toString).toList();
            String guess = closest(value, names);
            throw new TypeConversionException("'" + value + "' is not one of " + String.join(", ", names)
                    + (guess != null ? ": did you mean " + guess + "?" : ""));
        }
    }

    private interface Check {
        double apply(double value);
    }

    private static double checked(String value, Check check) {
        double v;
        try {
            v = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number");
        }
        try {
            return check.apply(v);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage().replaceFirst("^the value ", ""));
        }
    }

    private static int wholeNumber(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            boolean digits = value.strip().matches("-?\\d+");
            throw new TypeConversionException("'" + value + "' is not a whole number" + (digits ? " that fits in 32 "
                    + "bits (at most " + String.format(Locale.ROOT, "%,d", Integer.MAX_VALUE) + ")" : ""));
        }
    }

    /**
     * The name among {@code names} that {@code typed} is most likely a slip of: within two edits (insert, delete,
     * replace, swap), or a prefix of it; null when none is.
     */
    public static String closest(String typed, List<String> names) {
        String t = typed.strip().toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : names) {
            int d = name.startsWith(t) && !t.isEmpty() ? 0 : editDistance(t, name.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.min(2, Math.max(1, t.length() / 3)) ? best : null;
    }

    /** Edits between a and b: inserts, deletes, replaces and swaps of two neighbours (the commonest slip, lsmt). */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int replace = d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                d[i][j] = Math.min(replace, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
