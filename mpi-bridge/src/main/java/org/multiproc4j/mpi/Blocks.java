package org.multiproc4j.mpi;

import java.util.Arrays;

/**
 * Counts and displacements of a v-collective ({@link Comm#scatterv}, {@link Comm#gatherv},
 * {@link Comm#allgatherv}): how many elements each rank gets and where its block starts. {@link #even(int, int)}
 * computes the usual split of an array whose length does not divide by the number of ranks (the tutorial's
 * {@code divmod}), the first ranks getting one element more.
 *
 * <pre>{@code
 * Blocks b = Blocks.even(15, 4);
 * System.out.println(Arrays.toString(b.counts()) + " " + Arrays.toString(b.displs()));   // [4, 4, 4, 3] [0, 4, 8, 12]
 * }</pre>
 *
 * @param counts per rank, the block's element count.
 * @param displs per rank, the block's first element.
 */
public record Blocks(int[] counts, int[] displs) {

    /**
     * Checks and keeps the arrays (not copied: do not change them while a collective uses them).
     *
     * @param counts per rank, the block's element count.
     * @param displs per rank, the block's first element.
     * @throws IllegalArgumentException if the lengths differ.
     * @throws NullPointerException     if an argument is {@code null}.
     */
    public Blocks {
        if (counts.length != displs.length) {
            throw new IllegalArgumentException("Blocks: " + counts.length + " counts but " + displs.length
                    + " displacements");
        }
    }

    /**
     * Splits {@code length} elements into {@code parts} consecutive blocks as evenly as possible: each gets
     * {@code length / parts}, and the first {@code length % parts} one more.
     *
     * @param length the number of elements, not negative.
     * @param parts  the number of blocks, positive.
     * @return the blocks.
     * @throws IllegalArgumentException if {@code length} is negative or {@code parts} not positive.
     */
    public static Blocks even(int length, int parts) {
        if (length < 0 || parts <= 0) {
            throw new IllegalArgumentException("Blocks.even needs length >= 0 and parts > 0, got length=" + length
                    + " parts=" + parts);
        }
        int[] counts = new int[parts];
        int[] displs = new int[parts];
        int base = length / parts;
        int extra = length % parts;
        int at = 0;
        for (int p = 0; p < parts; p++) {
            counts[p] = base + (p < extra ? 1 : 0);
            displs[p] = at;
            at += counts[p];
        }
        return new Blocks(counts, displs);
    }

    /**
     * Describes the blocks.
     *
     * @return e.g. {@code Blocks[counts=[4, 4, 4, 3], displs=[0, 4, 8, 12]]}.
     */
    @Override
    public String toString() {
        return "Blocks[counts=" + Arrays.toString(counts) + ", displs=" + Arrays.toString(displs) + "]";
    }

    /**
     * Compares the arrays' contents.
     *
     * @param o the other object.
     * @return {@code true} for blocks with equal counts and displacements.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Blocks && Arrays.equals(counts, ((Blocks) o).counts)
                && Arrays.equals(displs, ((Blocks) o).displs);
    }

    /**
     * Hashes the arrays' contents.
     *
     * @return the hash.
     */
    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(counts) + Arrays.hashCode(displs);
    }
}
