package dev.tapgrad.runtime;

/**
 * Training produced a NaN or infinite loss term or gradient. It is thrown before the optimizer
 * applies that step, so the weights are those the diverging batch saw; {@link #epoch()},
 * {@link #batch()} and {@link #term()} say where it happened.
 */
public class TrainingDivergedException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batch;
    private final String term;

    /**
     * @param epoch the 1-based epoch
     * @param batch the 1-based batch within the epoch
     * @param term the loss term, or the parameter whose gradient, is not finite
     */
    public TrainingDivergedException(String message, int epoch, int batch, String term) {
        super(message);
        this.epoch = epoch;
        this.batch = batch;
        this.term = term;
    }

    /** The 1-based epoch in which training diverged. */
    public int epoch() {
        return epoch;
    }

    /** The 1-based batch within {@link #epoch()}. */
    public int batch() {
        return batch;
    }

    /** The first loss term (or, for a gradient, the parameter) that was not finite. */
    public String term() {
        return term;
    }
}
