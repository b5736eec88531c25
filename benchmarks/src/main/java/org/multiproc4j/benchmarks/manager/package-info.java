/**
 * JMH benchmarks of the manager: a proxy's round trip over shared memory and over the socket, map updates
 * run in the server, list appends, a warm child's map puts and gets ({@code ChildDictOpsBenchmark}), and
 * starting a manager. The side-by-side runner's {@code manager_*}
 * workloads measure the same paths against Python's {@code Manager()}
 * ({@link org.multiproc4j.benchmarks.sidebyside.ManagerWorkload}).
 *
 * <pre class="shell">{@code
 * java -jar benchmarks/target/benchmarks.jar 'org.multiproc4j.benchmarks.manager.*'
 * }</pre>
 */
package org.multiproc4j.benchmarks.manager;
