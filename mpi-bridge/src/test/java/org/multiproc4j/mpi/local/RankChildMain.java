package org.multiproc4j.mpi.local;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.mpi.Mpi;

/**
 * A rank that starts a child JVM which calls {@code Mpi.init}: the child must be a job of its own, not the rank. It
 * also names its garbage collectors (the launcher's default is the parallel one).
 */
public final class RankChildMain {
    private RankChildMain() {
    }

    static int childWorldSize() {
        try (Mpi mpi = Mpi.init(new String[0])) {
            return mpi.world().size();
        }
    }

    /**
     * Runs the rank.
     *
     * @param args ignored.
     * @throws Exception if the child fails.
     */
    public static void main(String[] args) throws Exception {
        try (Mpi mpi = Mpi.init(args)) {
            int size = JvmProcess.call(RankChildMain::childWorldSize).get();
            mpi.world().barrier();
            System.out.println("rank " + mpi.world().rank() + " of " + mpi.world().size() + ": child's world has "
                    + size);
            for (java.lang.management.GarbageCollectorMXBean gc
                    : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
                System.out.println("rank " + mpi.world().rank() + " collector: " + gc.getName());
            }
        }
    }
}
