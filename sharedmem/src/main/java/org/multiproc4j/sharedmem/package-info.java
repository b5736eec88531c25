/**
 * Memory shared between processes: named segments, typed shared values and arrays, and (in a subpackage) cross-process locks. This module is being built; see the project's issues.
 */
package org.multiproc4j.sharedmem;
