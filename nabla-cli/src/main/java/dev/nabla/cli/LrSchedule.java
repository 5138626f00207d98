package dev.nabla.cli;

import dev.nabla.optim.CosineAnnealingLR;
import dev.nabla.optim.ExponentialLR;
import dev.nabla.optim.LinearLR;
import dev.nabla.optim.LrScheduler;
import dev.nabla.optim.OneCycleLR;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.ReduceLROnPlateau;
import dev.nabla.optim.SequentialLR;
import dev.nabla.optim.StepLR;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --lr-schedule}: a learning-rate schedule as the command line writes it, made into the library's
 * {@link LrScheduler} once the optimizer and the number of steps are known.
 *
 * <ul>
 *   <li>{@code step:N,G} — the rate times G every N epochs (StepLR; G defaults to 0.1);</li>
 *   <li>{@code exp:G} — times G every epoch (ExponentialLR);</li>
 *   <li>{@code cosine} or {@code cosine:T} — half a cosine from the rate to 0 over T epochs (default: all of them);</li>
 *   <li>{@code plateau:P,F} — times F when the validation loss (the training loss without validation data) has not
 *       improved for more than P epochs (ReduceLROnPlateau; defaults 5 and 0.5);</li>
 *   <li>{@code onecycle} — the 1cycle policy over every step, peaking at --lr (OneCycleLR, per step);</li>
 *   <li>{@code warmup:E} or {@code warmup:E,cosine} — a linear warm-up over the first E epochs' steps, from --lr
 *       divided by the warm-up's steps to --lr, then constant or a cosine to 0 (LinearLR and CosineAnnealingLR in a
 *       SequentialLR, per step).</li>
 * </ul>
 *
 * @param text   as given
 * @param kind   the schedule's name
 * @param first  its first number (NaN when not given)
 * @param second its second number (NaN when not given)
 * @param cosine for a warm-up: a cosine after it
 */
record LrSchedule(String text, String kind, double first, double second, boolean cosine) {
    /** True for the schedules that step after every optimisation step rather than every epoch. */
    boolean perStep() {
        return kind.equals("onecycle") || kind.equals("warmup");
    }

    /**
     * The schedule on {@code optimizer} for a run of {@code epochs} epochs of {@code batches} steps each.
     *
     * @throws IllegalArgumentException when its numbers do not fit the run (a warm-up as long as the training)
     */
    LrScheduler create(Optimizer optimizer, int epochs, int batches) {
        return switch (kind) {
            case "step" -> new StepLR(optimizer, (int) first, Double.isNaN(second) ? 0.1 : second);
            case "exp" -> new ExponentialLR(optimizer, first);
            case "cosine" -> new CosineAnnealingLR(optimizer, Double.isNaN(first) ? epochs : (int) first, 0);
            case "plateau" -> new ReduceLROnPlateau(optimizer, Double.isNaN(second) ? 0.5 : second,
                    Double.isNaN(first) ? 5 : (int) first);
            case "onecycle" -> new OneCycleLR(optimizer, optimizer.lr(), epochs * batches);
            case "warmup" -> {
                int warmupSteps = (int) first * batches;
                if (first >= epochs && cosine) {
                    throw new IllegalArgumentException("--lr-schedule " + text + ": the warm-up of " + (int) first
                            + " epochs leaves none of the " + epochs + " for the cosine; make it shorter");
                }
                LinearLR warmup = new LinearLR(optimizer, 1.0 / warmupSteps, 1.0, warmupSteps);
                if (!cosine) {
                    yield warmup;
                }
                yield new SequentialLR(optimizer, List.of(warmup, new CosineAnnealingLR(optimizer,
                        (epochs - (int) first) * batches, 0)), List.of(warmupSteps));
            }
            default -> throw new IllegalStateException(kind);
        };
    }

    /** Reads {@code --lr-schedule}'s value. */
    static final class Converter implements ITypeConverter<LrSchedule> {
        private static final String FORMS = "step:N[,G], exp:G, cosine[:T], plateau[:P[,F]], onecycle, warmup:E[,cosine]";

        @Override
        public LrSchedule convert(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            String kind = v.contains(":") ? v.substring(0, v.indexOf(':')) : v;
            String[] args = v.contains(":") ? v.substring(v.indexOf(':') + 1).split(",", -1) : new String[0];
            return switch (kind) {
                case "step" -> numbers(value, kind, args, 1, 2, true);
                case "exp" -> numbers(value, kind, args, 1, 1, false);
                case "cosine" -> numbers(value, kind, args, 0, 1, true);
                case "plateau" -> numbers(value, kind, args, 0, 2, true);
                case "onecycle" -> numbers(value, kind, args, 0, 0, false);
                case "warmup" -> {
                    boolean cosine = args.length == 2 && args[1].strip().equals("cosine");
                    if (args.length == 2 && !cosine) {
                        throw new TypeConversionException("'" + value + "': after warmup:E comes nothing or ',cosine'");
                    }
                    LrSchedule s = numbers(value, kind, cosine ? new String[] {args[0]} : args, 1, 1, true);
                    yield new LrSchedule(value, kind, s.first(), Double.NaN, cosine);
                }
                default -> throw new TypeConversionException("'" + value + "' is not a schedule; the schedules are "
                        + FORMS);
            };
        }

        /** The schedule with between {@code least} and {@code most} positive numbers; the first whole if asked. */
        private static LrSchedule numbers(String value, String kind, String[] args, int least, int most,
                                          boolean firstWhole) {
            if (args.length < least || args.length > most) {
                throw new TypeConversionException("'" + value + "': " + kind + " takes " + (least == most ? least
                        : least + " to " + most) + " numbers; the schedules are " + FORMS);
            }
            double[] n = {Double.NaN, Double.NaN};
            for (int i = 0; i < args.length; i++) {
                try {
                    n[i] = Double.parseDouble(args[i].strip());
                } catch (NumberFormatException e) {
                    throw new TypeConversionException("'" + value + "': '" + args[i] + "' is not a number");
                }
                boolean whole = i == 0 && firstWhole;
                if (!(n[i] > 0) || Double.isInfinite(n[i]) || whole && n[i] != Math.rint(n[i])) {
                    throw new TypeConversionException("'" + value + "': '" + args[i] + "' must be a positive "
                            + (whole ? "whole number" : "number"));
                }
            }
            return new LrSchedule(value, kind, n[0], n[1], false);
        }
    }
}
