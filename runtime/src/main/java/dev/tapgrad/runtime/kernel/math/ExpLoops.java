package dev.tapgrad.runtime.kernel.math;

import dev.tapgrad.runtime.kernel.Platform;

/**
 * exp, the logistic function and tanh over a run of doubles, in place, as loops that JDK 17's C2
 * auto-vectoriser (SuperWord) turns into vector code: {@code Math.exp} is a scalar call per value
 * there (tens of cycles each), and SuperWord vectorises no select, compare or bit cast, so
 * the usual exp (split x into k·ln 2 + r and build 2^k from bits) is out. What remains is +, −, ×,
 * ÷, {@code Math.fma}, {@code Math.min} and {@code Math.max}, every array read at the loop variable
 * itself, and that is all these loops use.
 *
 * <p>The method: exp(t) = p(t/256)^256, with p the Taylor polynomial of exp and eight squarings.
 * The argument is first clamped from below (max, which keeps NaN) to where the float result is
 * not yet 0; above, p (all coefficients positive) and its powers grow monotonically and overflow
 * to ∞ by themselves where the float result is ∞ anyway, so no second clamp (a vector min or max
 * costs several instructions, as it must honour NaN and −0). For the arguments that matter, |t| ≤
 * 105, |t/256| ≤ 0.41, where the degree-13 polynomial is off by under 1e-16 relative; the
 * squarings multiply a relative error by 256, leaving about 1e-13 (rounding in the Horner sum and
 * the squarings included), a millionth of a float ulp. The final rounding to float therefore gives
 * the correctly rounded float except where the true value lies within that much of a halfway
 * point between two floats, and then the neighbour: never more than one float ulp off. Every
 * value's result depends on that value alone, not on its neighbours or its position, so a run
 * gives the same bits however it is split, and the same whether C2 runs it as vectors or not (+,
 * ×, ÷, fma, min, max are exactly rounded IEEE operations either way).
 *
 * <p>tanh needs e^{−2x} − 1 accurately for tiny x (1 − e^{−2x} cancels), so it iterates expm1
 * instead of exp: with E = e^u − 1, e^{2u} − 1 = E·(E + 2), which keeps E's relative accuracy however
 * small it is; tanh x = −E/(E + 2) with E = expm1(−2x). That also gives tanh(±0) = ±0 with no sign
 * fix-up (−2·(+0) = −0 stays −0 through every step; −2·(−0) = +0 likewise).
 */
final class ExpLoops {
    /** exp(x) in float is 0 below ≈ −103.97 (e^−104 is under half the smallest denormal, 2^−150). */
    static final double EXP_LO = -104;

    /** σ(x) = 1/(1 + e^{−x}) is 1 in float once e^{−x} is below 2^−25 (x above ≈ 17.33). */
    static final double SIGMOID_LO = -18;

    /** tanh(x) is ±1 in float once 1 − |tanh x| ≈ 2e^{−2|x|} is below 2^−25, |x| above ≈ 9.01. */
    static final double TANH_BOUND = 10;

    private static final double SCALE = 1.0 / 256;

    /**
     * Whether Horner's steps are fused multiply-adds: only where {@code Math.fma} is a hardware
     * instruction. Elsewhere it runs in software, a hundred times slower and allocating, so the
     * steps are a product and a sum, two roundings instead of one, about 1e-16 relative more,
     * still a millionth of a float ulp after the squarings. A constant, so C2 folds the choice.
     */
    private static final boolean FMA = Platform.FMA;

    private ExpLoops() {}

    /** {@code w[j] = exp(w[j])} for j in [0, n), to be rounded to float (clamped to float's range). */
    static void exp(double[] w, int n) {
        for (int j = 0; j < n; j++) {
            w[j] = expClamped(Math.max(w[j], EXP_LO));
        }
    }

    /** {@code w[j] = 1 / (1 + exp(−w[j]))} for j in [0, n), to be rounded to float. */
    static void sigmoid(double[] w, int n) {
        for (int j = 0; j < n; j++) {
            // +∞ clamps to e^−18 and gives float 1; −∞ (e^∞ = ∞) gives 1/∞ = 0.
            w[j] = 1 / (1 + expClamped(Math.max(-w[j], SIGMOID_LO)));
        }
    }

    /** {@code w[j] = tanh(w[j])} for j in [0, n), to be rounded to float. */
    static void tanh(double[] w, int n) {
        for (int j = 0; j < n; j++) {
            // Clamped on both sides: for x → −∞ E = expm1(−2x) overflows and −E/(E + 2) would be ∞/∞;
            // for x → +∞ the polynomial would be evaluated far outside its range. u = −2x/256 is exact.
            double u = Math.min(Math.max(w[j], -TANH_BOUND), TANH_BOUND) * (-2 * SCALE);
            double e = u * expm1OverU(u);
            // expm1(2v) from expm1(v), eight times; written out, as SuperWord only vectorises innermost loops.
            e = e * (e + 2);
            e = e * (e + 2);
            e = e * (e + 2);
            e = e * (e + 2);
            e = e * (e + 2);
            e = e * (e + 2);
            e = e * (e + 2);
            e = e * (e + 2);
            w[j] = -e / (e + 2);
        }
    }

    /**
     * e^t for t ≥ −105: p(t/256)^256 (t/256 is exact, a power-of-two scale); to double accuracy up
     * to t = 105, larger and overflowing to ∞ beyond (t = ∞ included).
     */
    private static double expClamped(double t) {
        double y = t * SCALE;
        // Taylor to degree 13: the first omitted term is below 0.41^14/14! ≈ 4e-17.
        double p = 1.0 / 6227020800.0;
        p = madd(p, y, 1.0 / 479001600.0);
        p = madd(p, y, 1.0 / 39916800.0);
        p = madd(p, y, 1.0 / 3628800.0);
        p = madd(p, y, 1.0 / 362880.0);
        p = madd(p, y, 1.0 / 40320.0);
        p = madd(p, y, 1.0 / 5040.0);
        p = madd(p, y, 1.0 / 720.0);
        p = madd(p, y, 1.0 / 120.0);
        p = madd(p, y, 1.0 / 24.0);
        p = madd(p, y, 1.0 / 6.0);
        p = madd(p, y, 0.5);
        p = madd(p, y, 1.0);
        p = madd(p, y, 1.0);
        p *= p; // written out, as SuperWord only vectorises innermost loops
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        return p * p;
    }

    /**
     * (e^u − 1)/u for |u| ≤ 10/128, Taylor to degree 8: the first omitted term is below
     * 0.079^9/10! ≈ 3e-17, so u times it is expm1(u) to double rounding, whatever u's size.
     */
    private static double expm1OverU(double u) {
        double q = 1.0 / 3628800.0;
        q = madd(q, u, 1.0 / 362880.0);
        q = madd(q, u, 1.0 / 40320.0);
        q = madd(q, u, 1.0 / 5040.0);
        q = madd(q, u, 1.0 / 720.0);
        q = madd(q, u, 1.0 / 120.0);
        q = madd(q, u, 1.0 / 24.0);
        q = madd(q, u, 1.0 / 6.0);
        return madd(madd(q, u, 0.5), u, 1.0);
    }

    /** a·b + c, fused where the hardware fuses it (see {@link #FMA}). */
    private static double madd(double a, double b, double c) {
        return FMA ? Math.fma(a, b, c) : a * b + c;
    }
}
