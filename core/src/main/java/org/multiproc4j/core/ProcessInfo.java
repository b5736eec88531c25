package org.multiproc4j.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known of a process that this JVM did not start itself: the current process
 * ({@link JvmProcess#current()}) or the parent that started it ({@link JvmProcess#parent()}).
 *
 * <p><b>Thread safety.</b> Immutable; {@link #isAlive()} asks the operating system each time.
 */
public final class ProcessInfo {
    private final String name;
    private final long pid;
    private final boolean daemon;
    private final long startMillis;

    ProcessInfo(String name, long pid, boolean daemon, long startMillis) {
        this.name = Objects.requireNonNull(name, "name");
        this.pid = pid;
        this.daemon = daemon;
        this.startMillis = startMillis;
    }

    /**
     * Returns the process's name: {@code "MainProcess"} for a JVM not started by multiproc4j, else the
     * name its parent gave it.
     *
     * @return the name.
     */
    public String name() {
        return name;
    }

    /**
     * Returns the operating system's process id.
     *
     * @return the pid.
     */
    public long pid() {
        return pid;
    }

    /**
     * Tells whether the process was started as a daemon child.
     *
     * @return the daemon flag; {@code false} for a main process.
     */
    public boolean isDaemon() {
        return daemon;
    }

    /**
     * Returns when the process started, as the operating system reports it.
     *
     * @return the start instant, if known.
     */
    public Optional<Instant> startInstant() {
        return startMillis < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(startMillis));
    }

    /**
     * Tells whether the process is still running. A different process that reuses the pid is not taken
     * for this one: its start time differs.
     *
     * @return {@code true} if the process is alive.
     */
    public boolean isAlive() {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        Optional<Instant> start = handle.get().info().startInstant();
        return startMillis < 0 || start.isEmpty() || start.get().toEpochMilli() == startMillis;
    }

    @Override
    public String toString() {
        return "ProcessInfo[name=" + name + ", pid=" + pid + (daemon ? ", daemon" : "") + "]";
    }
}
