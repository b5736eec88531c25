package org.multiproc4j.mpi.nativempi;

import org.multiproc4j.mpi.Mpi;
import org.multiproc4j.mpi.contract.Mpirun;

/** The jobs of this module's tests: mpirun with the native backend forced, so that no other can stand in. */
final class NativeJobs {
    private NativeJobs() {
    }

    static Mpirun mpirun(int ranks) {
        return Mpirun.ranks(ranks).jvmFlags("-D" + Mpi.BACKEND_PROP + "=" + NativeProvider.NAME);
    }
}
