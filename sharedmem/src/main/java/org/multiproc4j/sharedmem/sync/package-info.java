/**
 * Synchronisation between processes: Python's {@code multiprocessing} locks, semaphores, events, conditions
 * and barriers, as Java types. {@link org.multiproc4j.sharedmem.sync.SharedLock} and
 * {@link org.multiproc4j.sharedmem.sync.SharedReentrantLock} are {@link java.util.concurrent.locks.Lock}s,
 * {@link org.multiproc4j.sharedmem.sync.SharedCondition} a {@link java.util.concurrent.locks.Condition};
 * {@link org.multiproc4j.sharedmem.sync.SharedSemaphore},
 * {@link org.multiproc4j.sharedmem.sync.SharedBoundedSemaphore},
 * {@link org.multiproc4j.sharedmem.sync.SharedEvent} and {@link org.multiproc4j.sharedmem.sync.SharedBarrier}
 * follow {@link java.util.concurrent.Semaphore} and {@link java.util.concurrent.CyclicBarrier}.
 *
 * <pre>{@code
 * try (SharedLock lock = SharedLock.create(); SharedLong total = SharedLong.create(0)) {
 *     List<JvmProcess> workers = new ArrayList<>();
 *     for (int i = 0; i < 4; i++) {
 *         workers.add(new JvmProcess(() -> {
 *             for (int n = 0; n < 1000; n++) {
 *                 lock.lock();
 *                 try {
 *                     total.set(total.get() + 1);
 *                 } finally {
 *                     lock.unlock();
 *                 }
 *             }
 *         }).start());
 *     }
 *     for (JvmProcess w : workers) {
 *         w.join();
 *     }
 *     System.out.println(total.get());   // 4000
 * }
 * }</pre>
 *
 * <p>Each object lives in its own shared-memory segment and reaches a child JVM captured in a task (it
 * travels as its name). As their {@code java.util.concurrent} models do, releasing an object (an unlock, a
 * release, a set, an arrival at a barrier) happens-before a later acquisition of it that sees the release, here
 * in any process: see <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>. Waiting never burns a core: a waiter follows its object's
 * {@link org.multiproc4j.sharedmem.IdlePolicy} (chosen at {@code create}, the default otherwise), which by
 * default spins for about 2 µs, yields up to 100 µs, then parks with pauses that double up to 1 ms; so a
 * hand-off to a thread that has only just started waiting takes a fraction of a microsecond, and to one that
 * has waited long, up to about a millisecond.
 *
 * <p>Death is handled, where Python deadlocks. A lock whose holder's process died is taken over by the next
 * waiter, whose {@code lock()} returns holding it as usual and whose
 * {@link org.multiproc4j.sharedmem.sync.SharedLock#ownerDied() ownerDied()} then says the state the lock protects
 * may need repair; permits held by a dead process return to their semaphore; a process that dies while waiting
 * at a barrier breaks it. Survivors notice within 10 ms of waiting: a waiter checks the liveness of the
 * processes it waits for (pid and start time, a read of {@code /proc}) every 10 ms, never on the fast path.
 */
package org.multiproc4j.sharedmem.sync;
