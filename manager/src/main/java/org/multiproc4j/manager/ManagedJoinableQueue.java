package org.multiproc4j.manager;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;

/**
 * A queue owned by a manager's server whose consumers say when they have finished each item, so that a
 * producer can wait until all are done: Python's {@code manager.JoinableQueue()}.
 *
 * <pre>{@code
 * try (Manager manager = Manager.start()) {
 *     ManagedJoinableQueue<Integer> work = manager.joinableQueue();
 *     List<Integer> results = manager.list();
 *     JvmProcess worker = new JvmProcess(() -> {
 *         for (int i = 0; i < 3; i++) {
 *             Integer n = work.poll(30, TimeUnit.SECONDS);
 *             results.add(n * n);
 *             work.taskDone();
 *         }
 *     }).start();
 *     work.addAll(List.of(1, 2, 3));
 *     System.out.println(work.join(Duration.ofSeconds(30)));   // true
 *     System.out.println(results);                              // [1, 4, 9]
 *     worker.join();
 * }
 * }</pre>
 *
 * <p><b>Thread and process safety.</b> Safe for any number of threads and processes.
 *
 * <p><b>Failure.</b> A consumer that dies before {@link #taskDone()} leaves its item unfinished: {@code join}
 * then waits until its timeout. If the server is gone, every method throws {@link ManagerException}.
 *
 * @param <E> the items' type.
 */
public interface ManagedJoinableQueue<E> extends BlockingQueue<E> {

    /**
     * Says that an item taken from the queue is finished.
     *
     * @throws IllegalStateException if called more times than items were put.
     * @throws ManagerException      if the server is gone.
     */
    void taskDone();

    /**
     * Waits until every item put has been finished.
     *
     * @throws InterruptedException if interrupted while waiting.
     * @throws ManagerException     if the server is gone.
     */
    void join() throws InterruptedException;

    /**
     * Waits at most {@code timeout} until every item put has been finished.
     *
     * @param timeout how long to wait.
     * @return whether every item is finished.
     * @throws InterruptedException if interrupted while waiting.
     * @throws ManagerException     if the server is gone.
     */
    boolean join(Duration timeout) throws InterruptedException;
}
