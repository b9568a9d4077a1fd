package dev.tapgrad.runtime.optim;

/** The built-in {@link Schedule}s, as records so that equal settings are equal schedules. */
final class Schedules {
    private Schedules() {}

    /** A fixed rate. */
    record Constant(double lr) implements Schedule {
        @Override
        public double at(long step) {
            return lr;
        }

        @Override
        public boolean isConstant() {
            return true;
        }

        @Override
        public String toString() {
            return String.valueOf(lr);
        }
    }

    /** Keras's ExponentialDecay. */
    record Exponential(double initial, long decaySteps, double rate, boolean staircase) implements Schedule {
        @Override
        public double at(long step) {
            double p = (double) step / decaySteps;
            return initial * Math.pow(rate, staircase ? Math.floor(p) : p);
        }

        @Override
        public String toString() {
            return "exponentialDecay(" + initial + ", " + decaySteps + ", " + rate + (staircase ? ", staircase" : "") + ")";
        }
    }

    /** Keras's CosineDecay without warm-up. */
    record Cosine(double initial, long decaySteps, double alpha) implements Schedule {
        @Override
        public double at(long step) {
            double done = (double) Math.min(step, decaySteps) / decaySteps;
            double cosine = 0.5 * (1 + Math.cos(Math.PI * done));
            return initial * ((1 - alpha) * cosine + alpha);
        }

        @Override
        public String toString() {
            return "cosineDecay(" + initial + ", " + decaySteps + (alpha != 0 ? ", " + alpha : "") + ")";
        }
    }
}
