/**
 * A pool of worker JVMs: Python's {@code multiprocessing.Pool} ({@link org.multiproc4j.pool.ProcessPool}) and
 * {@code concurrent.futures.ProcessPoolExecutor} ({@link org.multiproc4j.pool.ProcessPoolExecutor}). Workers start
 * with the pool and stay warm; work is a {@link org.multiproc4j.core.SerializableFunction} (a lambda or method
 * reference) applied to inputs, its results come back as values, {@link org.multiproc4j.pool.AsyncResult}s or a
 * lazy {@link org.multiproc4j.pool.ResultIterator}, and a worker that dies fails only the task it was running
 * ({@link org.multiproc4j.pool.WorkerDiedException}) while the pool keeps serving.
 * <pre>{@code
 * import java.util.stream.Stream;
 *
 * try (ProcessPool pool = new ProcessPool(2)) {
 *     List<Integer> cubes = pool.map(x -> x * x * x, List.of(1, 2, 3));
 *     System.out.println(cubes);                                    // [1, 8, 27]
 *     ResultIterator<Integer> lazy = pool.imap(x -> x + 1, Stream.iterate(0, x -> x + 1));
 *     System.out.println(lazy.next(Duration.ofSeconds(30)));         // 1, from an endless input
 *     pool.terminate();                                            // stop the endless imap's work now
 * }
 * }</pre>
 */
package org.multiproc4j.pool;
