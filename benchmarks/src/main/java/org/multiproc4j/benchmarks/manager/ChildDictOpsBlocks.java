package org.multiproc4j.benchmarks.manager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.manager.ManagedMap;
import org.multiproc4j.manager.Manager;

/**
 * {@code manager_dict_ops} block by block: a fresh child JVM (started with {@link JvmProcess#call}, so usually a
 * warm spare) does k {@code put(i, i)} then k {@code get(i)} through a proxy of the manager's map, and reports the
 * time of every block of {@value #BLOCK} operations; the parent prints the median over the trials of each block,
 * in µs per operation, and of the whole k, as operations per second. It then times the parent's own
 * {@code map.get} round trip (the {@code manager_proxy_rtt} figure). Shows where a fresh child's time goes: its
 * first, cold blocks or the steady state. Each trial also prints the times of the first put and get, of the
 * 3rd to 10th, the 11th to 100th and the 101st to 500th (µs each). With the environment variable
 * {@code PROBE_DETAIL} set (children inherit it), the child prints the time of each of its first 40 puts between
 * the lines {@code PROBE BEGIN} and {@code PROBE PUTS DONE}; the system property {@code probe.jvm} gives the
 * children JVM options (say {@code -Xint}, or {@code -Xlog:class+load=info:stdout} to see what the timed part
 * loads).
 *
 * <pre class="shell">{@code
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp benchmarks.jar \
 *     org.multiproc4j.benchmarks.manager.ChildDictOpsBlocks [trials] [k]
 * }</pre>
 */
public final class ChildDictOpsBlocks {
    private static final int BLOCK = 500;

    private ChildDictOpsBlocks() {
    }

    /**
     * Runs the trials and prints the medians.
     *
     * @param args the number of trials (default 7) and k (default 5000).
     * @throws Exception if a child fails.
     */
    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        String[] jvm = System.getProperty("probe.jvm", "").isEmpty() ? new String[0]
                : System.getProperty("probe.jvm").split(" ");
        JvmProcess.Options options = new JvmProcess.Options();
        if (jvm.length > 0) {
            options.jvmOptions(jvm);
        }
        int blocks = k / BLOCK;
        try (Manager manager = Manager.start()) {
            List<long[]> results = new ArrayList<>();
            for (int t = 0; t < trials; t++) {
                Thread.sleep(1500);                         // a spare boots in the meantime
                ManagedMap<Integer, Integer> d = manager.map();
                long[] r = JvmProcess.call(() -> child(d, k), options).get(Duration.ofSeconds(120));
                results.add(r);
                System.out.printf(Locale.ROOT, "trial %d: puts %s | gets %s | %.0f puts/s, %.0f gets/s%n", t,
                        row(r, 0, blocks), row(r, blocks, blocks), k / (r[2 * blocks] / 1e6),
                        k / (r[2 * blocks + 1] / 1e6));
                System.out.printf(Locale.ROOT, "  first ops us: put#1 %.0f put#2 %.0f puts3-10 %.1f 11-100 %.1f "
                        + "101-500 %.1f | get#1 %.0f get#2 %.0f gets3-10 %.1f 11-100 %.1f 101-500 %.1f%n",
                        r[2 * blocks + 2] / 1e3, r[2 * blocks + 3] / 1e3, r[2 * blocks + 4] / 8e3,
                        r[2 * blocks + 5] / 90e3, r[2 * blocks + 6] / 400e3,
                        r[2 * blocks + 7] / 1e3, r[2 * blocks + 8] / 1e3, r[2 * blocks + 9] / 8e3,
                        r[2 * blocks + 10] / 90e3, r[2 * blocks + 11] / 400e3);
            }
            System.out.printf(Locale.ROOT, "median: puts %s | gets %s | %.0f puts/s, %.0f gets/s%n",
                    medianRow(results, 0, blocks), medianRow(results, blocks, blocks),
                    k / (median(results, 2 * blocks) / 1e6), k / (median(results, 2 * blocks + 1) / 1e6));
            ManagedMap<String, Integer> m = manager.map();
            m.put("k", 1);
            double[] rtt = new double[trials];
            for (int t = 0; t < trials; t++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < k; i++) {
                    m.get("k");
                }
                rtt[t] = (System.nanoTime() - t0) / 1e3 / k;
            }
            Arrays.sort(rtt);
            System.out.printf(Locale.ROOT, "parent map.get round trip: median %.2f us (min %.2f, max %.2f)%n",
                    rtt[trials / 2], rtt[0], rtt[trials - 1]);
        }
    }

    static long[] child(ManagedMap<Integer, Integer> d, int k) {
        int blocks = k / BLOCK;
        long[] r = new long[2 * blocks + 12];
        boolean detail = System.getenv("PROBE_DETAIL") != null;
        long[] first = new long[40];
        if (detail) {
            System.out.println("PROBE BEGIN");
        }
        long start = System.nanoTime();
        long t = start;
        for (int b = 0; b < blocks; b++) {
            for (int i = b * BLOCK; i < (b + 1) * BLOCK; i++) {
                d.put(i, i);
                if (b == 0) {
                    mark(r, 2 * blocks + 2, i, System.nanoTime() - t);
                    if (detail && i < first.length) {
                        first[i] = System.nanoTime();
                    }
                }
            }
            long now = System.nanoTime();
            r[b] = now - t;
            t = now;
        }
        long mid = t;
        if (detail) {
            StringBuilder sb = new StringBuilder("first puts, us each:");
            long prev = start;
            for (long f : first) {
                sb.append(' ').append((f - prev) / 1000);
                prev = f;
            }
            System.out.println(sb);
            System.out.println("PROBE PUTS DONE");
        }
        long sum = 0;
        for (int b = 0; b < blocks; b++) {
            for (int i = b * BLOCK; i < (b + 1) * BLOCK; i++) {
                sum += d.get(i);
                if (b == 0) {
                    mark(r, 2 * blocks + 7, i, System.nanoTime() - t);
                }
            }
            long now = System.nanoTime();
            r[blocks + b] = now - t;
            t = now;
        }
        if (sum != (long) k * (k - 1) / 2) {
            throw new IllegalStateException("the gets summed to " + sum);
        }
        r[2 * blocks] = (mid - start) / 1000;
        r[2 * blocks + 1] = (t - mid) / 1000;
        return r;
    }

    /** Records cumulative times after ops 1, 2, 10, 100 and 500 as the time of each range. */
    private static void mark(long[] r, int at, int i, long elapsed) {
        if (i == 0) {
            r[at] = elapsed;
        } else if (i == 1) {
            r[at + 1] = elapsed - r[at];
        } else if (i == 9) {
            r[at + 2] = elapsed - r[at] - r[at + 1];
        } else if (i == 99) {
            r[at + 3] = elapsed - r[at] - r[at + 1] - r[at + 2];
        } else if (i == BLOCK - 1) {
            r[at + 4] = elapsed - r[at] - r[at + 1] - r[at + 2] - r[at + 3];
        }
    }

    private static String row(long[] r, int from, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(String.format(Locale.ROOT, "%.1f ", r[from + i] / 1e3 / BLOCK));
        }
        return b.toString().trim();
    }

    private static long median(List<long[]> rs, int index) {
        long[] v = new long[rs.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rs.get(i)[index];
        }
        Arrays.sort(v);
        return v[v.length / 2];
    }

    private static String medianRow(List<long[]> rs, int from, int n) {
        long[] m = new long[from + n];
        for (int i = 0; i < n; i++) {
            m[from + i] = median(rs, from + i);
        }
        return row(m, from, n);
    }
}
