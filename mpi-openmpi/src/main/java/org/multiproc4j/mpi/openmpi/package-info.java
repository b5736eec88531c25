/**
 * The MPI backend on Open MPI's Java bindings. This module is being built; see the project's issues.
 */
package org.multiproc4j.mpi.openmpi;
