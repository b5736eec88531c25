package org.multiproc4j.mpi.local;

import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.ElementType;
import org.multiproc4j.mpi.Mpi;
import org.multiproc4j.mpi.Status;

/** Rank 0 sends rank 1 a {@code long[]} of more than 2 GiB; rank 1 checks every element and prints OK. */
public final class LargeMain {
    static final int LENGTH = (1 << 28) + 3;     // 2 GiB + 24 bytes

    private LargeMain() {
    }

    /**
     * Runs the exchange.
     *
     * @param args ignored.
     */
    public static void main(String[] args) {
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            long[] a = new long[LENGTH];
            if (w.rank() == 0) {
                for (int i = 0; i < LENGTH; i++) {
                    a[i] = i * 7L + 1;
                }
                w.send(Buf.of(a), 1, 4);
            } else {
                Status s = w.recv(Buf.of(a), 0, 4);
                if (s.byteCount() != 8L * LENGTH || s.count(ElementType.LONG) != LENGTH) {
                    throw new AssertionError("status " + s);
                }
                for (int i = 0; i < LENGTH; i++) {
                    if (a[i] != i * 7L + 1) {
                        throw new AssertionError("element " + i + " is " + a[i]);
                    }
                }
                System.out.println("OK " + s.byteCount() + " bytes");
            }
        }
    }
}
