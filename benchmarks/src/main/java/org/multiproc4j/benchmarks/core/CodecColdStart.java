package org.multiproc4j.benchmarks.core;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The cost of a codec's first use in a fresh JVM: for each library, starts {@code runs} child JVMs that each
 * build the codec and do one encode + decode of a task-like record, and reports the medians of (a) that first
 * round trip, measured inside the child from the start of {@code main}, and (b) the child's whole life, from
 * launch to exit, beside a child that does nothing.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.multiproc4j.benchmarks.core.CodecColdStart [runs]
 * </pre>
 */
public final class CodecColdStart {

    private static final List<String> LIBRARIES =
            List.of("none", "jdkCodec", "kryo", "fastCodec", "fory", "fory-nocodegen");

    private CodecColdStart() {
    }

    /**
     * Runs the comparison, or, with {@code child <library>}, one child's first round trip.
     *
     * @param args {@code [runs]} or {@code child <library>}.
     * @throws Exception if a child fails.
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("child")) {
            child(args[1]);
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        String classPath = System.getProperty("java.class.path");
        System.out.printf(Locale.ROOT, "Java %s, %d runs per library, medians (min-max)%n",
                System.getProperty("java.version"), runs);
        System.out.printf(Locale.ROOT, "%-16s %26s %26s%n", "library", "first round trip, ms",
                "child JVM launch->exit, ms");
        for (String library : LIBRARIES) {
            List<Double> first = new ArrayList<>();
            List<Double> whole = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder(java, "-cp", classPath, CodecColdStart.class.getName(), "child", library)
                        .redirectErrorStream(true).start();
                String out;
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    StringBuilder all = new StringBuilder();
                    for (String line; (line = r.readLine()) != null; ) {
                        all.append(line).append('\n');
                    }
                    out = all.toString();
                }
                int exit = p.waitFor();
                long t1 = System.nanoTime();
                String result = out.lines().filter(l -> l.startsWith("first-round-trip-ns ")).findFirst()
                        .orElseThrow(() -> new IllegalStateException(library + " child failed (exit " + exit + "):\n"
                                + out));
                first.add(Long.parseLong(result.substring("first-round-trip-ns ".length())) / 1e6);
                whole.add((t1 - t0) / 1e6);
                if (i == 0) {
                    out.lines().filter(l -> !l.startsWith("first-round-trip-ns ")).forEach(
                            l -> System.out.println("  [" + library + " child] " + l));
                }
            }
            System.out.printf(Locale.ROOT, "%-16s %26s %26s%n", library, summary(first), summary(whole));
        }
    }

    private static String summary(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        return String.format(Locale.ROOT, "%.1f (%.1f-%.1f)", median, sorted.get(0), sorted.get(sorted.size() - 1));
    }

    private static void child(String library) {
        long t0 = System.nanoTime();
        Object value = CodecPayloads.payload("record");
        Object back = library.equals("none") ? value : CodecPayloads.contender(library).roundTrip(value);
        long t1 = System.nanoTime();
        if (!Objects.equals(value, back)) {
            throw new IllegalStateException(library + " changed the record: " + back);
        }
        System.out.println("first-round-trip-ns " + (t1 - t0));
    }
}
