package dev.nabla.autograd;

/**
 * The first NaN or ±∞ that {@link Anomaly anomaly mode} found: the message names the op, the pass (forward or
 * backward), where the op was called from, the cause, and the shapes and statistics of the op's inputs.
 */
public final class AnomalyException extends ArithmeticException {
    private final String op;
    private final String callSite;

    AnomalyException(String op, String callSite, String message) {
        super(message);
        this.op = op;
        this.callSite = callSite;
    }

    /** The op whose output or gradient held the first non-finite value, e.g. {@code "Log"}. */
    public String op() {
        return op;
    }

    /** Where the op was applied, e.g. {@code "Linear.forward(Linear.java:88)"}. */
    public String callSite() {
        return callSite;
    }
}
