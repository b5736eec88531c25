/**
 * The machinery behind {@code org.multiproc4j.core}: the child's entry point, task transport, the parent
 * watchdog and the building of child command lines. Not an API: anything here may change.
 */
package org.multiproc4j.core.internal;
