package org.multiproc4j.mpi.local;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.multiproc4j.mpi.launch.MpiLauncher;

/** A job run by the launcher with its output captured: what the launcher ITs look at. */
record JobRun(int status, String output, long millis) {

    static JobRun of(int n, Class<?> main, String... args) throws InterruptedException {
        return of(n, main, new MpiLauncher.Options(), args);
    }

    static JobRun of(int n, Class<?> main, MpiLauncher.Options options, String... args) throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        long start = System.nanoTime();
        int status = MpiLauncher.run(n, main.getName(), List.of(args), new MpiLauncher.Options(options).output(out));
        long millis = (System.nanoTime() - start) / 1_000_000;
        out.flush();
        return new JobRun(status, bytes.toString(StandardCharsets.UTF_8), millis);
    }

    List<String> lines() {
        return output.lines().toList();
    }
}
