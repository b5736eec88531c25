package org.multiproc4j.benchmarks.sidebyside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.jr.ob.JSON;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * Runs the side-by-side runner from {@code benchmarks.jar} in quick mode, as {@code bin/bench --quick} does,
 * and checks its report. The figures are not looked at: speed is measured, never asserted.
 */
@ExtendWith(LeakCheck.class)
class SideBySideIT {
    private static final Duration RUN_LIMIT = Timeouts.scaled(Duration.ofSeconds(90));

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    @SuppressWarnings("unchecked")
    void shouldWriteJsonMarkdownAndChartWithTheProcessStartRowsInQuickMode() throws Exception {
        Path out = dir.resolve("report");
        Result r = runner("--quick", "--out", out.toString());
        assertEquals(0, r.exitCode, "the runner failed:\n" + r.output);
        boolean python = PythonSide.locate(null) != null;
        if (!python) {
            System.err.println("SideBySideIT: python3 is absent (neither /usr/bin/python3 nor python3 on PATH): "
                    + "the Python half was skipped, only multiproc4j's half is checked");
            assertTrue(r.output.contains("Python side skipped"), r.output);
        }

        Map<String, Object> json = JSON.std.mapFrom(Files.readString(out.resolve("side-by-side.json")));
        assertEquals(Boolean.TRUE, json.get("quick"));
        assertTrue(((Number) ((Map<String, Object>) json.get("machine")).get("cores_available")).intValue() >= 1);
        assertNotNull(((Map<String, Object>) json.get("java")).get("version"));
        Map<String, Object> ps = (Map<String, Object>) ((Map<String, Object>) json.get("workloads"))
                .get("process_start");
        assertNotNull(ps, "no process_start in " + json.keySet());
        assertEquals(List.of(), ps.get("errors"));
        Map<String, Object> facts = (Map<String, Object>) ps.get("facts");
        assertTrue(facts.containsKey("class_data_archive_in_use"), "warm-up facts: " + facts);
        Map<String, Object> java = (Map<String, Object>) ps.get("multiproc4j");
        for (String metric : List.of("first_line_ms", "start_to_join_noop_ms", "first_line_back_to_back_ms",
                "start_to_join_noop_back_to_back_ms", "first_line_spawn_ms", "start_to_join_noop_spawn_ms",
                "hello_first_line_ms", "hello_run_ms")) {
            Map<String, Object> m = (Map<String, Object>) java.get(metric);
            assertNotNull(m, metric + " missing from " + java.keySet());
            assertEquals("ms", m.get("unit"));
            // quick mode: 2 rounds × 2 timed trials
            assertEquals(4, ((List<Object>) m.get("values")).size(), metric + ": " + m);
            double median = ((Number) m.get("median")).doubleValue();
            assertTrue(median > 0 && median < 60_000, metric + " median " + median);
            assertNotNull(m.get("p99"), metric + " has no percentiles: " + m);
        }
        List<Map<String, Object>> comparisons = (List<Map<String, Object>>) ps.get("comparisons");
        assertEquals(7, comparisons.size(), comparisons.toString());
        List<Map<String, Object>> targets = (List<Map<String, Object>>) ps.get("targets");
        assertEquals(5, targets.size(), targets.toString());
        if (python) {
            assertTrue(String.valueOf(((Map<String, Object>) json.get("python")).get("version")).startsWith("3."));
            Map<String, Object> py = (Map<String, Object>) ps.get("python");
            Map<String, Object> spawn = (Map<String, Object>) py.get("spawn_first_line_ms");
            assertEquals(4, ((List<Object>) spawn.get("values")).size(), "spawn_first_line_ms: " + spawn);
            for (Map<String, Object> c : comparisons) {
                assertTrue(c.get("ratio_multiproc4j_over_python") instanceof Number, "no ratio in " + c);
            }
            for (Map<String, Object> t : targets) {
                assertTrue(t.get("met") instanceof Boolean, "target not evaluated: " + t);
            }
        }

        String md = Files.readString(out.resolve("side-by-side.md"), StandardCharsets.UTF_8);
        assertTrue(md.contains("Quick mode"), md);
        for (String row : List.of("| process_start | start → first line of the task",
                "| process_start | start → join of a no-op", "| process_start | bare interpreter, whole run")) {
            List<String> lines = md.lines().filter(l -> l.startsWith(row)).toList();
            assertEquals(1, lines.size(), "row '" + row + "' in:\n" + md);
            assertEquals(8, lines.get(0).split("\\|", -1).length, "six cells in " + lines.get(0));
            assertTrue(lines.get(0).contains(" ms ["), lines.get(0));
            if (python) {
                assertFalse(lines.get(0).contains("| – |"), "a figure is missing: " + lines.get(0));
            }
        }
        assertTrue(md.contains("](side-by-side.png)"), md);

        BufferedImage png = ImageIO.read(out.resolve("side-by-side.png").toFile());
        assertNotNull(png, "side-by-side.png is not a readable image");
        assertTrue(png.getWidth() >= 800 && png.getHeight() >= 400, png.getWidth() + "x" + png.getHeight());

        assertTrue(r.output.matches("(?s).*process_start \\(1/\\d+\\): round 2/2.*"), "no progress lines:\n" + r.output);
        assertTrue(r.output.contains("left"), "no time-left estimate:\n" + r.output);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldRefuseAnUnknownWorkloadNamingTheKnownOnes() throws Exception {
        Result r = runner("--quick", "--out", dir.resolve("x").toString(), "--workloads", "process_start,no_such");
        assertEquals(2, r.exitCode, r.output);
        assertTrue(r.output.contains("unknown workload 'no_such'; known: [process_start"), r.output);
    }

    private record Result(int exitCode, String output) {
    }

    private Result runner(String... args) throws IOException, InterruptedException {
        Path jar = Paths.get(System.getProperty("multiproc4j.benchmarks.jar", "target/benchmarks.jar"));
        assertTrue(Files.isRegularFile(jar), "benchmarks.jar is missing at " + jar.toAbsolutePath()
                + ": run the IT through Maven's verify, after package");
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-cp", jar.toString(),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "runner-", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            fail("the runner did not finish within " + RUN_LIMIT.toSeconds() + " s:\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
