/**
 * The machinery behind {@code org.multiproc4j.core}: the one byte format of plain values
 * ({@link org.multiproc4j.core.internal.Wire}, which codecs, tasks, pipes and queues share), the child's entry
 * point, task transport, the parent
 * watchdog, the building of child command lines and warm spares, and, in the parent, each started child
 * ({@link org.multiproc4j.core.internal.RunningChild}) and the registry of running children with the shutdown
 * hook that ends them ({@link org.multiproc4j.core.internal.ChildRegistry}). Not an API: anything here may
 * change.
 */
package org.multiproc4j.core.internal;
