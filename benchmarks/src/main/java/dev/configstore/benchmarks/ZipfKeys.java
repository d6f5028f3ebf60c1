package dev.configstore.benchmarks;

import java.util.Random;

/**
 * A fixed, seeded sequence of key indexes drawn from a Zipf distribution (exponent 1), as a bot
 * sees guilds: a few very busy, most quiet. Precomputed so that drawing costs one array read.
 */
final class ZipfKeys {

    private static final int SAMPLES = 1 << 16;

    private final int[] indexes = new int[SAMPLES];

    ZipfKeys(int keys, long seed) {
        double[] cumulative = new double[keys];
        double total = 0;
        for (int rank = 1; rank <= keys; rank++) {
            total += 1.0 / rank;
            cumulative[rank - 1] = total;
        }
        Random random = new Random(seed);
        for (int i = 0; i < SAMPLES; i++) {
            double u = random.nextDouble() * total;
            int low = 0;
            int high = keys - 1;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (cumulative[middle] < u) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            indexes[i] = low;
        }
    }

    /** Returns the index at {@code position}, wrapping around the precomputed sequence. */
    int at(int position) {
        return indexes[position & (SAMPLES - 1)];
    }
}
