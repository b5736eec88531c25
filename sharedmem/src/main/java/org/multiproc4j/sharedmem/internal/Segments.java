package org.multiproc4j.sharedmem.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
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

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;

/**
 * Where segments live, how they are named, and the resource tracking that removes them: a close that leaves no
 * live use removes a segment's name (see {@link SegmentUsers}); a shutdown hook ends this JVM's uses of what it
 * still has open; a sweep removes the segments whose users all died without doing so ({@code kill -9}, a crash).
 *
 * <p><b>Names.</b> Every file starts with {@value #PREFIX}. Generated names carry the creator's pid and
 * start stamp, {@code mp4j-<pid>-<stamp hex>-<n>}, so a sweep tells their owner without opening them; a
 * segment named by the user ({@code mp4j-<name>}) is first written under a temporary generated name
 * ({@code mp4j-tmp-<pid>-<stamp hex>-<n>}) and then linked to its name, so an attacher never sees half a
 * header; its owner is read from its header.
 *
 * <p><b>Sweeps.</b> The first use of shared memory in a JVM starts a daemon thread that sweeps at once
 * and then every {@value #DEFAULT_SWEEP_INTERVAL_MS} ms (system property {@value #SWEEP_INTERVAL_PROPERTY};
 * 0 sweeps only once). A sweep looks into two kinds of segments: those whose creator is dead (no such pid, a
 * zombie, or a pid reused by a process that started at another time), and those this JVM closed while other
 * processes still used them ("lingering"). It removes the name of each whose users table shows no live use
 * (segments of an older layout, and headers never completed, go when their creator is dead); processes that
 * still map a removed segment keep their mapping. A segment whose creator lives and that this JVM does not
 * linger on is not even opened: a sweep lists the directory and checks each distinct creator once, a few
 * hundred microseconds for dozens of segments.
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
    private static final Set<Segment> OPEN = ConcurrentHashMap.newKeySet();
    /** Segments this JVM closed while others still used them: name to file key. */
    private static final Map<String, Object> LINGERING = new ConcurrentHashMap<>();
    /** How long the shutdown hook waits for a users table's lock. */
    private static final long EXIT_LOCK_WAIT_NS = 1_000_000_000L;
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

    static void opened(Segment s) {
        OPEN.add(s);
        synchronized (LOCK) {
            if (!hookInstalled) {
                hookInstalled = true;
                Runtime.getRuntime().addShutdownHook(new Thread(Segments::releaseAllAtExit, "mp4j-shm-release"));
            }
        }
    }

    static void forget(Segment s) {
        OPEN.remove(s);
    }

    /**
     * Remembers a segment this JVM closed while other processes still used it, so that its sweeps remove it if
     * they all die without closing it.
     *
     * @param path    the segment file.
     * @param fileKey the file's key when it was opened ({@code null}: unknown, not remembered).
     */
    static void lingering(Path path, Object fileKey) {
        if (fileKey != null) {
            LINGERING.put(path.getFileName().toString(), fileKey);
        }
    }

    /**
     * Returns how many segments this JVM has open.
     *
     * @return the count.
     */
    public static int openInThisJvm() {
        return OPEN.size();
    }

    private static void releaseAllAtExit() {
        long deadline = System.nanoTime() + EXIT_LOCK_WAIT_NS;
        for (Segment s : OPEN) {
            s.releaseAtExit(deadline); // mappings stay valid for threads still running during shutdown
        }
        Path dir = directory();
        for (Map.Entry<String, Object> e : LINGERING.entrySet()) {
            removeIfUnused(dir.resolve(e.getKey()), e.getValue(), true);
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
     * Removes every segment no live process uses among those whose creator is dead or that this JVM lingers on.
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
                Object lingerKey = LINGERING.get(name);
                long token = ownerOf(f, name);
                if (token == 0 && lingerKey == null) {
                    continue;
                }
                Boolean live = token == 0 ? Boolean.TRUE : alive.get(token);
                if (live == null) {
                    live = ProcessIdentity.isAlive(token);
                    alive.put(token, live);
                }
                if (live && lingerKey == null) {
                    continue;
                }
                if (removeIfUnused(f, lingerKey, live)) {
                    removed.add(name);
                    HEADER_CACHE.remove(name);
                    LINGERING.remove(name);
                } else if (lingerKey != null && !lingerKey.equals(Segment.fileKey(f))) {
                    LINGERING.remove(name, lingerKey); // the name now belongs to another segment
                }
            }
        } catch (NoSuchFileException e) {
            return removed;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + dir, e);
        }
        HEADER_CACHE.keySet().retainAll(seen);
        LINGERING.keySet().retainAll(seen);
        return removed;
    }

    /**
     * Removes a segment file whose creator is dead if no live process uses it (for taking over a user-chosen
     * name).
     *
     * @param f the file.
     * @return {@code true} if it was removed.
     */
    static boolean removeIfUnused(Path f) {
        return removeIfUnused(f, null, false);
    }

    /**
     * Removes a segment file if its users table shows no live use (and retires the table, so that nobody joins
     * it meanwhile). A file whose table cannot be read (a header never completed, or another layout version)
     * is removed only if its creator is dead.
     *
     * @param f            the file.
     * @param expectedKey  the file key the caller knows it by, or {@code null} for whatever file has the name.
     * @param creatorAlive whether its creator lives.
     * @return {@code true} if this call removed it.
     */
    private static boolean removeIfUnused(Path f, Object expectedKey, boolean creatorAlive) {
        Object key = Segment.fileKey(f);
        if (key == null || (expectedKey != null && !expectedKey.equals(key))) {
            return false;
        }
        Boolean unused = withHeader(f, key, SegmentUsers::retireUnused);
        if (unused == null) {
            if (creatorAlive || readable(f)) {
                return false; // being created, or readable after all (a race): a later sweep looks again
            }
        } else if (!unused) {
            return false;
        }
        try {
            return key.equals(Segment.fileKey(f)) && Files.deleteIfExists(f);
        } catch (IOException e) {
            return false; // not ours to remove (permissions): leave it
        }
    }

    /** Whether a file has a complete header of this layout version. */
    private static boolean readable(Path f) {
        ByteBuffer b = fixedHeader(f);
        return b != null && b.getLong(SegmentDescriptor.MAGIC_OFFSET) == SegmentDescriptor.MAGIC
                && b.getInt(SegmentDescriptor.VERSION_OFFSET) == SegmentDescriptor.VERSION;
    }

    /**
     * Runs {@code op} on the mapped header of a segment file of this layout version, if the file under that name
     * is still the one the caller knows.
     *
     * @param f           the file.
     * @param expectedKey its file key, or {@code null} to accept any.
     * @param op          what to do with the header's address.
     * @param <T>         the result type.
     * @return what {@code op} returned, or {@code null} if the file is gone, another, incomplete or of another
     *         layout version.
     */
    static <T> T withHeader(Path f, Object expectedKey, java.util.function.LongFunction<T> op) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (expectedKey != null && !expectedKey.equals(Segment.fileKey(f))) {
                return null;
            }
            if (ch.size() < SegmentDescriptor.HEADER_LENGTH) {
                return null;
            }
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, SegmentDescriptor.HEADER_LENGTH);
            try {
                long h = BufferUtil.address(m);
                if (UnsafeApi.getLongVolatile(null, h + SegmentDescriptor.MAGIC_OFFSET) != SegmentDescriptor.MAGIC
                        || UnsafeApi.getInt(null, h + SegmentDescriptor.VERSION_OFFSET) != SegmentDescriptor.VERSION) {
                    return null;
                }
                return op.apply(h);
            } finally {
                BufferUtil.free(m);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
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
        ByteBuffer b = fixedHeader(f);
        if (b == null || b.getLong(0) != SegmentDescriptor.MAGIC) {
            return 0;
        }
        return ProcessIdentity.token(b.getLong(SegmentDescriptor.CREATOR_PID_OFFSET),
                b.getLong(SegmentDescriptor.CREATOR_STAMP_OFFSET));
    }

    /** The fixed part of a segment file's header (every layout version has it), or {@code null} if shorter. */
    private static ByteBuffer fixedHeader(Path f) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(SegmentDescriptor.KIND_HEADER_OFFSET).order(ByteOrder.nativeOrder());
            while (b.hasRemaining() && ch.read(b, b.position()) >= 0) {
                // read the fixed part of the header
            }
            return b.position() < SegmentDescriptor.KIND_HEADER_OFFSET ? null : b;
        } catch (IOException e) {
            return null;
        }
    }
}
