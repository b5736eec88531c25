/**
 * MPI-style SPMD programs in the spirit of mpi4py, on a local shared-memory backend or on Open MPI. This module is being built; see the project's issues.
 */
package org.multiproc4j.mpi;
