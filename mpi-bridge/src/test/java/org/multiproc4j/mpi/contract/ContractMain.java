package org.multiproc4j.mpi.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.multiproc4j.mpi.Comm;
import org.multiproc4j.mpi.Mpi;

/**
 * Runs {@link CommContract}'s cases on every rank of a job: with no arguments all of them, else those named.
 * Rank 0 prints {@code PASS <case>} once every rank has passed a case; a rank whose case fails prints
 * {@code FAIL <case> on rank <r>: <error>} and rethrows, which ends the job non-zero.
 */
public final class ContractMain {
    private ContractMain() {
    }

    /**
     * Runs the cases.
     *
     * @param args case names, or none for all.
     * @throws Exception if a case fails on this rank.
     */
    public static void main(String[] args) throws Exception {
        List<String> names = args.length == 0 ? new ArrayList<>(CommContract.CASES.keySet()) : List.of(args);
        try (Mpi mpi = Mpi.init(args)) {
            Comm world = mpi.world();
            for (String name : names) {
                CommContract.Case c = CommContract.CASES.get(name);
                if (c == null) {
                    throw new IllegalArgumentException("no contract case " + name + "; cases: "
                            + CommContract.CASES.keySet());
                }
                try {
                    c.run(world);
                } catch (Exception | Error e) {
                    System.out.println("FAIL " + name + " on rank " + world.rank() + ": " + e);
                    System.out.flush();
                    throw e;
                }
                world.barrier();
                if (world.rank() == 0) {
                    System.out.println("PASS " + name);
                }
            }
            Map<String, Object> done = Map.of("done", world.size());
            world.bcast(done, 0);
        }
    }
}
