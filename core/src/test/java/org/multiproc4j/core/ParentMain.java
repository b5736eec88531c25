package org.multiproc4j.core;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A parent JVM for tests that need to watch a parent end: started by the tests with
 * {@link ProcessBuilder}, it starts children and then returns from {@code main} or waits to be killed.
 */
public final class ParentMain {
    private ParentMain() {
    }

    /**
     * Runs one scenario.
     *
     * @param args {@code exit-semantics DIR} or {@code orphans DIR}.
     * @throws Exception on failure.
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "exit-semantics": {
                String d = dir.toString();
                new JvmProcess(() -> {
                    sleep(1500);
                    write(Path.of(d, "nondaemon-done"), "done");
                }).start();
                JvmProcess daemon = new JvmProcess(() -> {
                    sleep(60_000);
                    write(Path.of(d, "daemon-done"), "should never happen");
                }, new JvmProcess.Options().daemon(true)).start();
                write(dir.resolve("daemon.pid"), Long.toString(daemon.pid()));
                write(dir.resolve("spare.pid"), awaitSpare());
                return; // main ends: the JVM must wait for the non-daemon child and end the daemon one
            }
            case "orphans": {
                JvmProcess a = new JvmProcess(() -> sleep(60_000)).start();
                JvmProcess b = new JvmProcess(() -> sleep(60_000), new JvmProcess.Options().daemon(true)).start();
                write(dir.resolve("pids.tmp"), a.pid() + " " + b.pid() + " " + awaitSpare());
                Files.move(dir.resolve("pids.tmp"), dir.resolve("pids"));
                sleep(120_000);
                return;
            }
            default:
                throw new IllegalArgumentException("unknown scenario " + args[0]);
        }
    }

    /** Waits for the idle warm spares the starts above left, and returns their pids, space-separated. */
    static String awaitSpare() {
        for (int i = 0; i < 1000; i++) {
            if (!System.getProperty(org.multiproc4j.core.internal.Spares.IDLE_PIDS_PROP, "").isEmpty()) {
                sleep(300); // a second one may be on its way
                return System.getProperty(org.multiproc4j.core.internal.Spares.IDLE_PIDS_PROP).replace(',', ' ');
            }
            sleep(10);
        }
        throw new IllegalStateException("no warm spare after 10 s");
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
