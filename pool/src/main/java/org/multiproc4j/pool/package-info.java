/**
 * A pool of worker JVMs, in the spirit of Python's {@code multiprocessing.Pool}. This module is being built; see the project's issues.
 */
package org.multiproc4j.pool;
