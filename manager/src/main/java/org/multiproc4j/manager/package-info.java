/**
 * A server process that owns objects which other processes use through proxies, in the spirit of Python's {@code multiprocessing.Manager}. This module is being built; see the project's issues.
 */
package org.multiproc4j.manager;
