package org.multiproc4j.core.internal;

/**
 * What a child JVM knows about itself and its parent, set once by {@link ChildMain} before the task is
 * decoded. In a JVM that was not started by multiproc4j every field keeps its default.
 */
public final class ChildContext {
    private static volatile boolean child;
    private static volatile String name = "MainProcess";
    private static volatile boolean daemon;
    private static volatile long parentPid = -1;
    private static volatile long parentStartMillis = -1;
    private static volatile String parentName;

    private ChildContext() {
    }

    static void init(String childName, boolean isDaemon, long ppid, long pStart, String pName) {
        name = childName;
        daemon = isDaemon;
        parentPid = ppid;
        parentStartMillis = pStart;
        parentName = pName;
        child = true;
    }

    /**
     * Tells whether this JVM was started by multiproc4j.
     *
     * @return {@code true} in a child.
     */
    public static boolean isChild() {
        return child;
    }

    /**
     * Returns this process's name.
     *
     * @return {@code "MainProcess"} outside a child.
     */
    public static String name() {
        return name;
    }

    /**
     * Tells whether this process was started as a daemon child.
     *
     * @return the daemon flag.
     */
    public static boolean isDaemon() {
        return daemon;
    }

    /**
     * Returns the parent's pid.
     *
     * @return the pid, or -1 outside a child.
     */
    public static long parentPid() {
        return parentPid;
    }

    /**
     * Returns the parent's start time, as the OS reports it.
     *
     * @return epoch milliseconds, or -1 if unknown.
     */
    public static long parentStartMillis() {
        return parentStartMillis;
    }

    /**
     * Returns the parent's name.
     *
     * @return the name, or {@code null} outside a child.
     */
    public static String parentName() {
        return parentName;
    }
}
