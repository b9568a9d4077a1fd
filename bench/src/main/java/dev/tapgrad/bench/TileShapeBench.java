package dev.tapgrad.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Three register tiles of the same 256 multiply-adds per k on L1-resident data, differing only in
 * how many broadcasts feed them: 8 rows × 2 vectors (one broadcast per 2 FMAs, the products'
 * usual tile), 4 × 4 (one per 4) and 16 × 1 (one per FMA, the tile a layer with one vector of
 * outputs gets). Prints GFLOP/s of each, one thread, AVX-512 vectors (16 lanes).
 *
 * <p>Why: on the benchmark machine the 16 × 1 tile runs at half the others' rate, so a pass whose
 * outputs are one vector wide is bound by its broadcasts, not its FMAs (bench/README.md,
 * 2026-12-08: why F(4×4) Winograd is not used for dL/dx of 32 → 16 channels).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp tapgrad-bench.jar dev.tapgrad.bench.TileShapeBench
 * </pre>
 */
public final class TileShapeBench {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int L = 16;

    private TileShapeBench() {}

    /** 8 rows × 2 vectors: 8 broadcasts and 2 loads per 16 FMAs. */
    private static void k8x2(float[] a, float[] w, float[] dst, int K) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0;
        for (int k = 0, p = 0, wi = 0; k < K; k++, p += 8, wi += 2 * L) {
            FloatVector u0 = FloatVector.fromArray(S, w, wi), u1 = FloatVector.fromArray(S, w, wi + L);
            FloatVector x = FloatVector.broadcast(S, a[p]); a0 = x.fma(u0, a0); b0 = x.fma(u1, b0);
            x = FloatVector.broadcast(S, a[p + 1]); a1 = x.fma(u0, a1); b1 = x.fma(u1, b1);
            x = FloatVector.broadcast(S, a[p + 2]); a2 = x.fma(u0, a2); b2 = x.fma(u1, b2);
            x = FloatVector.broadcast(S, a[p + 3]); a3 = x.fma(u0, a3); b3 = x.fma(u1, b3);
            x = FloatVector.broadcast(S, a[p + 4]); a4 = x.fma(u0, a4); b4 = x.fma(u1, b4);
            x = FloatVector.broadcast(S, a[p + 5]); a5 = x.fma(u0, a5); b5 = x.fma(u1, b5);
            x = FloatVector.broadcast(S, a[p + 6]); a6 = x.fma(u0, a6); b6 = x.fma(u1, b6);
            x = FloatVector.broadcast(S, a[p + 7]); a7 = x.fma(u0, a7); b7 = x.fma(u1, b7);
        }
        a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(b0).add(b1).add(b2).add(b3).add(b4).add(b5).add(b6).add(b7).intoArray(dst, 0);
    }

    /** 4 rows × 4 vectors: 4 broadcasts and 4 loads per 16 FMAs. */
    private static void k4x4(float[] a, float[] w, float[] dst, int K) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        FloatVector c0 = a0, c1 = a0, c2 = a0, c3 = a0, d0 = a0, d1 = a0, d2 = a0, d3 = a0;
        for (int k = 0, p = 0, wi = 0; k < K; k++, p += 4, wi += 4 * L) {
            FloatVector u0 = FloatVector.fromArray(S, w, wi), u1 = FloatVector.fromArray(S, w, wi + L);
            FloatVector u2 = FloatVector.fromArray(S, w, wi + 2 * L), u3 = FloatVector.fromArray(S, w, wi + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[p]); a0 = x.fma(u0, a0); b0 = x.fma(u1, b0); c0 = x.fma(u2, c0); d0 = x.fma(u3, d0);
            x = FloatVector.broadcast(S, a[p + 1]); a1 = x.fma(u0, a1); b1 = x.fma(u1, b1); c1 = x.fma(u2, c1); d1 = x.fma(u3, d1);
            x = FloatVector.broadcast(S, a[p + 2]); a2 = x.fma(u0, a2); b2 = x.fma(u1, b2); c2 = x.fma(u2, c2); d2 = x.fma(u3, d2);
            x = FloatVector.broadcast(S, a[p + 3]); a3 = x.fma(u0, a3); b3 = x.fma(u1, b3); c3 = x.fma(u2, c3); d3 = x.fma(u3, d3);
        }
        a0.add(a1).add(a2).add(a3).add(b0).add(b1).add(b2).add(b3).add(c0).add(c1).add(c2).add(c3).add(d0).add(d1).add(d2).add(d3).intoArray(dst, 0);
    }

    /** 16 rows × 1 vector: 16 broadcasts and 1 load per 16 FMAs. */
    private static void k16x1(float[] a, float[] w, float[] dst, int K) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0;
        for (int k = 0, p = 0, wi = 0; k < K; k++, p += 16, wi += L) {
            FloatVector u0 = FloatVector.fromArray(S, w, wi);
            a0 = FloatVector.broadcast(S, a[p]).fma(u0, a0); a1 = FloatVector.broadcast(S, a[p + 1]).fma(u0, a1);
            a2 = FloatVector.broadcast(S, a[p + 2]).fma(u0, a2); a3 = FloatVector.broadcast(S, a[p + 3]).fma(u0, a3);
            a4 = FloatVector.broadcast(S, a[p + 4]).fma(u0, a4); a5 = FloatVector.broadcast(S, a[p + 5]).fma(u0, a5);
            a6 = FloatVector.broadcast(S, a[p + 6]).fma(u0, a6); a7 = FloatVector.broadcast(S, a[p + 7]).fma(u0, a7);
            b0 = FloatVector.broadcast(S, a[p + 8]).fma(u0, b0); b1 = FloatVector.broadcast(S, a[p + 9]).fma(u0, b1);
            b2 = FloatVector.broadcast(S, a[p + 10]).fma(u0, b2); b3 = FloatVector.broadcast(S, a[p + 11]).fma(u0, b3);
            b4 = FloatVector.broadcast(S, a[p + 12]).fma(u0, b4); b5 = FloatVector.broadcast(S, a[p + 13]).fma(u0, b5);
            b6 = FloatVector.broadcast(S, a[p + 14]).fma(u0, b6); b7 = FloatVector.broadcast(S, a[p + 15]).fma(u0, b7);
        }
        a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(b0).add(b1).add(b2).add(b3).add(b4).add(b5).add(b6).add(b7).intoArray(dst, 0);
    }

    public static void main(String[] args) {
        if (FloatVector.SPECIES_PREFERRED.length() < 16) {
            System.err.println("TileShapeBench: needs 16-lane (AVX-512) vectors");
            System.exit(2);
        }
        int K = 64;
        float[] a = new float[K * 16 + 16], w = new float[K * 4 * L + 64], dst = new float[16];
        for (int i = 0; i < a.length; i++) {
            a[i] = 1e-3f * (i % 7);
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = 1e-3f * (i % 5);
        }
        for (int round = 0; round < 8; round++) {
            StringBuilder sb = new StringBuilder();
            for (int kind = 0; kind < 3; kind++) {
                int reps = 200000;
                long t0 = System.nanoTime();
                for (int r = 0; r < reps; r++) {
                    if (kind == 0) {
                        k8x2(a, w, dst, K);
                    } else if (kind == 1) {
                        k4x4(a, w, dst, K);
                    } else {
                        k16x1(a, w, dst, K);
                    }
                }
                long t = System.nanoTime() - t0;
                double flops = 2.0 * 16 * 16 * K * reps;
                sb.append(String.format(java.util.Locale.ROOT, "%s %.0f GFLOP/s  ", kind == 0 ? "8x2" : kind == 1 ? "4x4" : "16x1", flops / t));
            }
            System.out.println(sb.toString().trim());
        }
    }
}
