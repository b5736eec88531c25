/**
 * The side-by-side runner: the same named workloads in multiproc4j and in Python's {@code multiprocessing}
 * (the project's own stdlib-only {@code mp_side.py}, run with the system's {@code python3}), interleaved in
 * one run, reported as JSON, a Markdown table and a PNG chart of the ratios.
 *
 * <pre class="shell">{@code
 * bin/bench --quick --out /tmp/bench        // smoke test, seconds
 * bin/bench                                 // full run into bench-out/<date-time>
 * }</pre>
 *
 * <p>A workload implements {@link org.multiproc4j.benchmarks.sidebyside.Workload}, is listed in
 * {@link org.multiproc4j.benchmarks.sidebyside.Workloads}, and has a function of the same name in
 * {@code mp_side.py}'s {@code WORKLOADS}.
 */
package org.multiproc4j.benchmarks.sidebyside;
