package org.multiproc4j.core.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Warm spares: child JVMs started ahead of need, one per launch configuration, that have booted and wait on
 * their standard input for an assignment (see {@link ChildMain}). A {@code start()} takes the spare of its
 * configuration, if there is one, and sends it the task: the child's first line then runs a few milliseconds
 * after {@code start()}, not a JVM boot later. Each use starts the next spare in a background thread. A
 * configuration gets spares only once one of its children has booted (see {@link ChildLaunch#bootMarked()}):
 * a configuration whose JVM cannot boot never gets one, so its error is printed only by the child that hit it.
 *
 * <p>At most {@value #MAX_IDLE} configurations keep spares (least recently used goes first), one each, or
 * {@value #MAX_DEPTH} while starts come faster than a spare boots. A spare is told, as it is launched, the class
 * of the task that the last start of its configuration sent (unless that was a lambda): the role the previous
 * spare took, a pool's worker or a manager's server, say, which the new one then rehearses while it waits (see
 * {@link ChildMain#HINT_MAGIC}). Idle spares
 * are not children in the API's sense ({@code activeChildren()} does not list them); they end when this JVM
 * exits (a shutdown hook kills them, and a spare whose parent died sees the end of its input and halts),
 * or on {@link #discardAll()}. The pids of idle spares are published in the system property
 * {@value #IDLE_PIDS_PROP} (comma-separated) for tools such as a test's leak check.
 */
public final class Spares {
    /** The system property that lists the pids of idle spares. */
    public static final String IDLE_PIDS_PROP = "multiproc4j.internal.idleSparePids";
    static final int MAX_IDLE = 2;
    /** The most spares one configuration keeps. */
    static final int MAX_DEPTH = 2;
    /** A spare taken younger than this had no time to boot. */
    private static final long YOUNG_NANOS = TimeUnit.MILLISECONDS.toNanos(150);
    /** A spare taken older than this shows starts far apart. */
    private static final long OLD_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long TAKE_WAIT_MS = 2_000;

    /** What a spare must share with a launch to serve it. */
    public static final class Key {
        private final List<String> command;
        private final Map<String, String> environment;
        private final Path workingDirectory;
        private final ProcessBuilder.Redirect stdout;
        private final ProcessBuilder.Redirect stderr;

        /**
         * Creates a key.
         *
         * @param command          the command line without class-data options.
         * @param environment      the environment changes ({@code null} values remove a variable).
         * @param workingDirectory the working directory, or {@code null} for this JVM's.
         * @param stdout           where the child's output goes.
         * @param stderr           where the child's error output goes.
         */
        public Key(List<String> command, Map<String, String> environment, Path workingDirectory,
                   ProcessBuilder.Redirect stdout, ProcessBuilder.Redirect stderr) {
            this.command = List.copyOf(command);
            this.environment = new LinkedHashMap<>(environment);
            this.workingDirectory = workingDirectory;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key)) {
                return false;
            }
            Key k = (Key) o;
            return command.equals(k.command) && environment.equals(k.environment)
                    && Objects.equals(workingDirectory, k.workingDirectory) && stdout.equals(k.stdout)
                    && stderr.equals(k.stderr);
        }

        @Override
        public int hashCode() {
            return Objects.hash(command, environment, workingDirectory, stdout, stderr);
        }
    }

    /** A spare on its way or waiting: the command it was started with, and its process once launched. */
    private static final class Spare {
        final List<String> command;
        final CompletableFuture<Process> process = new CompletableFuture<>();
        final long launchedNanos = System.nanoTime();

        Spare(List<String> command) {
            this.command = command;
        }
    }

    /** The spares of one configuration, oldest first, and how many it should keep. */
    private static final class Line {
        final ArrayDeque<Spare> spares = new ArrayDeque<>();
        int depth = 1;
        /** The class of the task the last start of this configuration sent, or {@code null}. */
        String role;
    }

    /**
     * Whether a configuration's JVM boots, as its children have shown. A configuration gets spares only once one
     * of its children booted: a spare of a configuration that cannot boot (an unknown JVM option, too small a
     * heap) would print the JVM's error a second time, and for nothing.
     */
    private static final class Proof {
        boolean booted;
        /** Children of this configuration launched while it was unproven, and not yet ended. */
        final List<ChildLaunch> witnesses = new ArrayList<>();
        /** What to start spares with once proven; {@code null} when no start asked for spares. */
        List<String> command;
        ProcessBuilder builder;
        String role;
        boolean watching;
    }

    /** How often the witnesses of an unproven configuration are looked at. */
    private static final long WATCH_MS = 5;
    /** At most this many witnesses per configuration are kept. */
    private static final int MAX_WITNESSES = 8;
    /** At most this many configurations are remembered. */
    private static final int MAX_PROOFS = 64;

    private static final Map<Key, Line> IDLE = new LinkedHashMap<>(4, 0.75f, true);
    @SuppressWarnings("serial") // never serialized
    private static final Map<Key, Proof> PROOFS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Proof> eldest) {
            return size() > MAX_PROOFS;
        }
    };
    private static ScheduledExecutorService launcher;
    private static boolean shutDown;

    private Spares() {
    }

    /**
     * Takes the oldest spare for a launch, if one is waiting (or being launched) for exactly this command.
     * A spare taken before it had time to boot shows that starts come faster than one spare keeps up with:
     * the configuration then keeps {@value #MAX_DEPTH} spares, and goes back to one once starts are far
     * apart again.
     *
     * @param key     the launch's configuration.
     * @param command the launch's full command line; spares started with another (before the class-data
     *                archive existed) are discarded.
     * @return a live spare, now the caller's, or {@code null}.
     */
    public static Process take(Key key, List<String> command) {
        Spare spare;
        List<Spare> stale = new ArrayList<>();
        synchronized (Spares.class) {
            Line line = IDLE.get(key);
            spare = line == null ? null : line.spares.pollFirst();
            if (spare != null && !spare.command.equals(command)) {
                stale.add(spare);
                stale.addAll(line.spares);
                line.spares.clear();
                spare = null;
            }
            if (spare != null) {
                long age = System.nanoTime() - spare.launchedNanos;
                if (age < YOUNG_NANOS) {
                    line.depth = MAX_DEPTH;
                } else if (age > OLD_NANOS) {
                    line.depth = 1;
                }
            }
            publish();
        }
        for (Spare s : stale) {
            s.process.thenAccept(Spares::destroy);
        }
        if (spare == null) {
            return null;
        }
        Process p;
        try {
            p = spare.process.get(TAKE_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            spare.process.thenAccept(Spares::destroy);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            spare.process.thenAccept(Spares::destroy);
            return null;
        }
        if (p == null || !p.isAlive()) {
            destroy(p);
            return null;
        }
        return p;
    }

    private static void destroy(Process p) {
        if (p != null) {
            p.destroyForcibly();
        }
    }

    /**
     * Starts, in the background, the spares a configuration should keep for its next launches, once one of its
     * children has booted. Until then {@code witness} (the child just launched) is watched: as soon as it (or
     * another witness) shows it booted, the spares are started; if every witness ends without booting, none
     * are. Does nothing once this JVM is shutting down.
     *
     * @param key     the configuration.
     * @param command the full command line.
     * @param builder a process builder set up for this configuration (command, redirects, environment);
     *                used for every spare it starts.
     * @param witness the launch of the child just started for this configuration.
     * @param role    the class of that child's task, told to the spares started now (see {@link ChildMain}), or
     *                {@code null} for none (a lambda's).
     */
    public static void replenish(Key key, List<String> command, ProcessBuilder builder, ChildLaunch witness,
                                 String role) {
        synchronized (Spares.class) {
            if (shutDown) {
                return;
            }
            startLauncher();
            Proof proof = PROOFS.computeIfAbsent(key, k -> new Proof());
            if (!proof.booted) {
                proof.command = List.copyOf(command);
                proof.builder = builder;
                proof.role = role;
                if (proof.witnesses.size() == MAX_WITNESSES) {
                    proof.witnesses.remove(0);
                }
                proof.witnesses.add(witness);
                if (!proof.watching) {
                    proof.watching = true;
                    launcher.schedule(() -> watch(key, proof), WATCH_MS, TimeUnit.MILLISECONDS);
                }
                return;
            }
        }
        startSpares(key, command, builder, role);
    }

    /**
     * Records how a child of a configuration ended: one that booted proves the configuration (its spares are
     * started by the watch {@link #replenish} set up).
     *
     * @param key    the configuration.
     * @param booted whether the child booted into {@link ChildMain}.
     */
    public static void childEnded(Key key, boolean booted) {
        if (!booted) {
            return;
        }
        synchronized (Spares.class) {
            Proof proof = PROOFS.get(key);
            if (proof != null) {
                proof.booted = true;
            }
        }
    }

    /** Looks at the witnesses of an unproven configuration; reschedules itself until it is decided. */
    private static void watch(Key key, Proof proof) {
        List<String> command;
        ProcessBuilder builder;
        String role;
        synchronized (Spares.class) {
            if (!proof.booted) {
                for (ChildLaunch w : proof.witnesses) {
                    if (w.bootMarked()) {
                        proof.booted = true;
                        break;
                    }
                }
            }
            proof.witnesses.removeIf(ChildLaunch::ended);
            if (!proof.booted) {
                if (proof.witnesses.isEmpty() || shutDown) {
                    proof.watching = false; // every witness ended without booting: no spare for this configuration
                } else {
                    launcher.schedule(() -> watch(key, proof), WATCH_MS, TimeUnit.MILLISECONDS);
                }
                return;
            }
            proof.watching = false;
            proof.witnesses.clear();
            command = proof.command;
            builder = proof.builder;
            role = proof.role;
            proof.command = null;
            proof.builder = null;
            if (command == null || PROOFS.get(key) != proof) {
                return; // discarded meanwhile
            }
        }
        startSpares(key, command, builder, role);
    }

    /** Called with the lock held. */
    private static void startLauncher() {
        if (launcher == null) {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "mp4j-spare-launcher");
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
            launcher = executor;
            Runtime.getRuntime().addShutdownHook(new Thread(Spares::shutdown, "mp4j-spare-cleanup"));
        }
    }

    private static void startSpares(Key key, List<String> command, ProcessBuilder builder, String role) {
        List<Spare> evicted = new ArrayList<>();
        synchronized (Spares.class) {
            if (shutDown) {
                return;
            }
            Line line = IDLE.computeIfAbsent(key, k -> new Line());
            line.role = role;
            List<String> cmd = List.copyOf(command);
            while (line.spares.size() < line.depth) {
                Spare spare = new Spare(cmd);
                line.spares.addLast(spare);
                launcher.execute(() -> launch(builder, spare.process, role));
            }
            Iterator<Line> it = IDLE.values().iterator();
            while (IDLE.size() > MAX_IDLE && it.hasNext()) {
                evicted.addAll(it.next().spares);
                it.remove();
            }
        }
        for (Spare s : evicted) {
            s.process.thenAccept(Spares::destroy);
        }
    }

    private static void launch(ProcessBuilder builder, CompletableFuture<Process> future, String role) {
        Process p;
        try {
            p = builder.start();
        } catch (IOException | RuntimeException e) {
            future.complete(null); // no spare: the next start() launches a fresh JVM and reports any problem
            return;
        }
        if (role != null) {
            hint(p, role); // before the spare can be taken: its assignment follows on the same pipe
        }
        if (StartTrace.on()) {
            StartTrace.mark("parent: spare launched, pid " + p.pid());
        }
        boolean keep;
        synchronized (Spares.class) {
            keep = !shutDown;
            future.complete(p);
            publish();
        }
        if (!keep) {
            p.destroyForcibly();
        }
    }

    /**
     * Tells a spare just launched which class of task it will likely get: {@link ChildMain#HINT_MAGIC}, the
     * length and the UTF-8 name, on its standard input. A spare that died meanwhile is found out when taken.
     */
    static void hint(Process p, String role) {
        byte[] text = role.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (text.length > ChildMain.MAX_HINT) {
            return;
        }
        java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(8 + text.length);
        frame.putInt(ChildMain.HINT_MAGIC).putInt(text.length).put(text);
        try {
            java.io.OutputStream out = p.getOutputStream();
            out.write(frame.array());
            out.flush();
        } catch (IOException e) {
            // it died: take() finds it gone
        }
    }

    /**
     * Ends every idle spare and waits (briefly) for them to be gone. Later launches start fresh spares
     * again.
     */
    public static void discardAll() {
        List<Spare> all = new ArrayList<>();
        synchronized (Spares.class) {
            for (Line line : IDLE.values()) {
                all.addAll(line.spares);
            }
            IDLE.clear();
            for (Proof proof : PROOFS.values()) {
                // what a configuration showed stays known, but no spare is started for a start before this call
                proof.witnesses.clear();
                proof.command = null;
                proof.builder = null;
            }
            publish();
        }
        killAndWait(all);
    }

    private static void shutdown() {
        synchronized (Spares.class) {
            shutDown = true;
        }
        discardAll();
    }

    private static void killAndWait(List<Spare> spares) {
        List<Process> killed = new ArrayList<>();
        for (Spare s : spares) {
            Process p = s.process.getNow(null);
            if (p != null) {
                p.destroyForcibly();
                killed.add(p);
            } else {
                s.process.thenAccept(Process::destroyForcibly);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        for (Process p : killed) {
            try {
                p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Called with the lock held. */
    private static void publish() {
        StringBuilder pids = new StringBuilder();
        for (Line line : IDLE.values()) {
            for (Spare s : line.spares) {
                Process p = s.process.getNow(null);
                if (p != null) {
                    if (pids.length() > 0) {
                        pids.append(',');
                    }
                    pids.append(p.pid());
                }
            }
        }
        System.setProperty(IDLE_PIDS_PROP, pids.toString());
    }
}
