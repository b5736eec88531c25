package org.multiproc4j.sharedmem.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where segments live, how they are named, and the resource tracking that removes them: the creator's
 * {@code close} and a shutdown hook unlink what this JVM created; a sweep removes the segments of creators
 * that died without doing so ({@code kill -9}, a crash).
 *
 * <p><b>Names.</b> Every file starts with {@value #PREFIX}. Generated names carry the creator's pid and
 * start stamp, {@code mp4j-<pid>-<stamp hex>-<n>}, so a sweep tells their owner without opening them; a
 * segment named by the user ({@code mp4j-<name>}) is first written under a temporary generated name
 * ({@code mp4j-tmp-<pid>-<stamp hex>-<n>}) and then linked to its name, so an attacher never sees half a
 * header; its owner is read from its header.
 *
 * <p><b>Sweeps.</b> The first use of shared memory in a JVM starts a daemon thread that sweeps at once
 * and then every {@value #DEFAULT_SWEEP_INTERVAL_MS} ms (system property {@value #SWEEP_INTERVAL_PROPERTY};
 * 0 sweeps only once). A segment whose creator is dead (no such pid, a zombie, or a pid reused by a process
 * that started at another time) is unlinked; processes that still map it keep their mapping. A sweep lists
 * the directory and checks each distinct creator once: it costs a few hundred microseconds for dozens of
 * segments.
 */
public final class Segments {
    /** Every segment file's name starts with this. */
    public static final String PREFIX = "mp4j-";
    /** System property: the directory segments are created in (default {@code /dev/shm}, else the temp dir). */
    public static final String DIR_PROPERTY = "multiproc4j.sharedmem.dir";
    /** System property: milliseconds between sweeps; 0 sweeps only at first use. */
    public static final String SWEEP_INTERVAL_PROPERTY = "multiproc4j.sharedmem.sweepIntervalMs";
    /** The default interval between sweeps. */
    public static final long DEFAULT_SWEEP_INTERVAL_MS = 1000;

    private static final Pattern GENERATED = Pattern.compile("mp4j-(?:tmp-)?([0-9]+)-([0-9a-f]+)-[0-9]+");
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final String STAMP_HEX = Long.toHexString(ProcessIdentity.SELF_STAMP);
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final Set<Segment> CREATED = ConcurrentHashMap.newKeySet();
    private static final Map<String, Owner> HEADER_CACHE = new ConcurrentHashMap<>();
    private static final Object LOCK = new Object();
    private static volatile Path directory;
    private static boolean hookInstalled;
    private static Thread sweeper;
    private static volatile boolean sweeperPaused;
    private static volatile boolean warned;

    /** The creator of a user-named segment file, as read from its header, and the file it was read from. */
    private record Owner(Object fileKey, long token) {
    }

    private Segments() {
    }

    // ------------------------------------------------------------------------------------------ names

    /**
     * Returns the directory segments live in.
     *
     * @return {@code /dev/shm} where it exists, else {@code <java.io.tmpdir>/multiproc4j-shm}, unless the
     *         system property {@value #DIR_PROPERTY} names another.
     */
    public static Path directory() {
        Path d = directory;
        if (d == null) {
            synchronized (LOCK) {
                d = directory;
                if (d == null) {
                    d = chooseDirectory();
                    directory = d;
                }
            }
        }
        return d;
    }

    private static Path chooseDirectory() {
        String configured = System.getProperty(DIR_PROPERTY);
        Path d;
        if (configured != null && !configured.isBlank()) {
            d = Paths.get(configured);
        } else {
            Path shm = Paths.get("/dev/shm");
            d = Files.isDirectory(shm) && Files.isWritable(shm) ? shm
                    : Paths.get(System.getProperty("java.io.tmpdir"), "multiproc4j-shm");
        }
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new org.multiproc4j.sharedmem.SharedMemoryException("cannot use " + d
                    + " for shared memory segments: " + e, e);
        }
        return d;
    }

    static String newName() {
        return PREFIX + ProcessIdentity.SELF_PID + "-" + STAMP_HEX + "-" + SEQUENCE.incrementAndGet();
    }

    static String tmpName() {
        return PREFIX + "tmp-" + ProcessIdentity.SELF_PID + "-" + STAMP_HEX + "-" + SEQUENCE.incrementAndGet();
    }

    /**
     * Checks a segment name and adds {@value #PREFIX} if it is missing.
     *
     * @param name     the name a user gave.
     * @param creating whether a segment of that name is being created (generated names are reserved).
     * @return the file name.
     * @throws IllegalArgumentException if the name is malformed or reserved.
     * @throws NullPointerException     if it is {@code null}.
     */
    public static String normalize(String name, boolean creating) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        if (!VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("bad shared memory name '" + name + "': use 1 to 200 letters, digits, "
                    + "'.', '_' or '-'");
        }
        String file = name.startsWith(PREFIX) ? name : PREFIX + name;
        if (file.length() > 200 + PREFIX.length() || file.equals(PREFIX)) {
            throw new IllegalArgumentException("bad shared memory name '" + name + "': empty after '" + PREFIX + "'");
        }
        if (creating && (GENERATED.matcher(file).matches() || file.startsWith(PREFIX + "tmp-"))) {
            throw new IllegalArgumentException("bad shared memory name '" + name + "': names of the form mp4j-<pid>-"
                    + "<hex>-<n> and mp4j-tmp-... are reserved for generated names");
        }
        return file;
    }

    static void createFile(Path file) throws IOException {
        FileAttribute<?>[] attrs = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Files.createFile(file, attrs);
    }

    // ------------------------------------------------------------------------------------------ tracking

    static void created(Segment s) {
        CREATED.add(s);
        synchronized (LOCK) {
            if (!hookInstalled) {
                hookInstalled = true;
                Runtime.getRuntime().addShutdownHook(new Thread(Segments::unlinkAllCreated, "mp4j-shm-unlink"));
            }
        }
    }

    static void forget(Segment s) {
        CREATED.remove(s);
    }

    /**
     * Returns how many segments this JVM created and has not closed.
     *
     * @return the count.
     */
    public static int openCreated() {
        return CREATED.size();
    }

    private static void unlinkAllCreated() {
        for (Segment s : CREATED) {
            s.unlink(); // mappings stay valid for threads still running during shutdown
        }
    }

    // ------------------------------------------------------------------------------------------ sweeping

    /**
     * Starts the sweeper thread of this JVM, if it is not running yet. Cheap when it is.
     */
    public static void startSweeper() {
        if (sweeper != null) {
            return;
        }
        synchronized (LOCK) {
            if (sweeper != null) {
                return;
            }
            long interval = Long.getLong(SWEEP_INTERVAL_PROPERTY, DEFAULT_SWEEP_INTERVAL_MS);
            Thread t = new Thread(() -> sweepLoop(interval), "mp4j-shm-sweeper");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            sweeper = t;
            t.start();
        }
    }

    private static void sweepLoop(long intervalMs) {
        while (true) {
            if (!sweeperPaused) {
                try {
                    sweep();
                } catch (RuntimeException e) {
                    if (!warned) {
                        warned = true;
                        System.err.println("multiproc4j: sweeping " + directory() + " for segments of dead processes failed: " + e);
                    }
                }
            }
            if (intervalMs <= 0) {
                return;
            }
            try {
                Thread.sleep(intervalMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Pauses or resumes this JVM's periodic sweeps (tests use it to observe what another JVM sweeps).
     *
     * @param paused whether to pause.
     */
    public static void pauseSweeper(boolean paused) {
        sweeperPaused = paused;
    }

    /**
     * Unlinks every segment whose creator is dead.
     *
     * @return the names removed by this call.
     */
    public static List<String> sweep() {
        Path dir = directory();
        List<String> removed = new ArrayList<>();
        Map<Long, Boolean> alive = new HashMap<>();
        Set<String> seen = new java.util.HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                seen.add(name);
                long token = ownerOf(f, name);
                if (token == 0) {
                    continue;
                }
                Boolean live = alive.get(token);
                if (live == null) {
                    live = ProcessIdentity.isAlive(token);
                    alive.put(token, live);
                }
                if (!live) {
                    try {
                        if (Files.deleteIfExists(f)) {
                            removed.add(name);
                        }
                    } catch (IOException e) {
                        // not ours to remove (permissions): leave it
                    }
                    HEADER_CACHE.remove(name);
                }
            }
        } catch (NoSuchFileException e) {
            return removed;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + dir, e);
        }
        HEADER_CACHE.keySet().retainAll(seen);
        return removed;
    }

    private static long ownerOf(Path f, String name) {
        Matcher m = GENERATED.matcher(name);
        if (m.matches()) {
            try {
                return ProcessIdentity.token(Long.parseLong(m.group(1)), Long.parseUnsignedLong(m.group(2), 16));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        // a segment named by a user: its owner is in its header; cache it per file (inode) to read it once
        Object key;
        try {
            key = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return 0;
        }
        Owner cached = HEADER_CACHE.get(name);
        if (cached != null && key != null && key.equals(cached.fileKey())) {
            return cached.token();
        }
        long token = creatorOf(f);
        if (token != 0 && key != null) {
            HEADER_CACHE.put(name, new Owner(key, token));
        }
        return token;
    }

    /**
     * Reads the creator of a segment file from its header.
     *
     * @param f the file.
     * @return the creator's token, or 0 if the file is not a complete multiproc4j segment.
     */
    static long creatorOf(Path f) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(SegmentDescriptor.KIND_HEADER_OFFSET).order(ByteOrder.nativeOrder());
            while (b.hasRemaining() && ch.read(b, b.position()) >= 0) {
                // read the fixed part of the header
            }
            if (b.position() < SegmentDescriptor.KIND_HEADER_OFFSET || b.getLong(0) != SegmentDescriptor.MAGIC) {
                return 0;
            }
            return ProcessIdentity.token(b.getLong(SegmentDescriptor.CREATOR_PID_OFFSET),
                    b.getLong(SegmentDescriptor.CREATOR_STAMP_OFFSET));
        } catch (IOException e) {
            return 0;
        }
    }
}
