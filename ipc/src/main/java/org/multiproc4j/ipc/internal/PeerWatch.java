package org.multiproc4j.ipc.internal;

import java.io.IOException;
import java.io.RandomAccessFile;

import org.multiproc4j.core.internal.ProcStat;
import org.multiproc4j.sharedmem.internal.ProcessIdentity;

/**
 * Tells whether the process holding a pipe's other end still lives, cheaply enough to be asked every
 * millisecond of sending: the same answer as {@link ProcessIdentity#isAlive}, which reads and parses
 * {@code /proc/<pid>/stat} through {@code java.nio.file} each time (a few hundred microseconds in a JVM that has
 * just started and interprets that code), but from a {@code /proc/<pid>/stat} file kept open.
 *
 * <p>The first look at an owner opens its stat file, then checks the owner's token with
 * {@link ProcessIdentity#isAlive} (so the open file is that process's, not an earlier or later one with the same
 * pid). Later looks at the same owner re-read the open file from its start (a seek and a read, two native calls):
 * once the process has been reaped the read fails, and while it is a zombie its state reads {@code Z}: dead either
 * way, as {@link ProcessIdentity#isAlive} says. A new owner (an end handed over) opens its own file. Without
 * {@code /proc}, or if a read fails for another reason, it asks {@link ProcessIdentity#isAlive}.
 *
 * <p>Thread-safe (its methods are synchronized; the pipe's sending and receiving sides share one). Holds one file
 * descriptor while an owner is watched; {@link #close()} gives it back.
 */
final class PeerWatch implements AutoCloseable {
    private static final int STAT_BYTES = 1024;

    private long token;
    private RandomAccessFile stat;
    private final byte[] buf = new byte[STAT_BYTES];
    private boolean closed;

    /**
     * Tells whether the process a token names is alive.
     *
     * @param owner the other end's owner word (a token, possibly with {@link ProcessIdentity#FLAG} set).
     * @return as {@link ProcessIdentity#isAlive}.
     */
    synchronized boolean isAlive(long owner) {
        long plain = owner & ~ProcessIdentity.FLAG;
        if (plain == ProcessIdentity.SELF_TOKEN) {
            return true;
        }
        if (plain != token || stat == null) {
            return look(plain);
        }
        try {
            RandomAccessFile f = stat;
            f.seek(0);
            int n = f.read(buf);
            if (n <= 0) {
                return forget();
            }
            int close = n - 1;
            while (close >= 0 && buf[close] != ')') {
                close--;
            }
            if (close < 0 || close + 2 >= n || n == buf.length) {
                return ProcessIdentity.isAlive(plain);      // unexpected content: the careful way
            }
            byte state = buf[close + 2];
            if (state == 'Z' || state == 'X' || state == 'x') {
                return forget();
            }
            return true;
        } catch (IOException e) {
            // a reaped process's open stat file fails to read (ESRCH); anything else: the careful way
            closeFile();
            return ProcessIdentity.isAlive(plain);
        }
    }

    /** A first look at an owner: opens its stat file if it is alive. */
    private boolean look(long plain) {
        closeFile();
        token = plain;
        if (!ProcStat.AVAILABLE || closed) {
            return ProcessIdentity.isAlive(plain);
        }
        long pid = plain >>> 32;
        if ((plain & 0xFFFF_FFFFL) == 0 || pid == ProcessIdentity.SELF_PID) {
            return false;                                   // a word naming no live process
        }
        try {
            stat = new RandomAccessFile("/proc/" + pid + "/stat", "r");
        } catch (IOException | RuntimeException e) {
            return ProcessIdentity.isAlive(plain);          // gone already (or unreadable): the careful way
        }
        if (!ProcessIdentity.isAlive(plain)) {              // checked after opening: the file is this process's
            closeFile();
            return false;
        }
        return true;
    }

    private boolean forget() {
        closeFile();
        return false;
    }

    private void closeFile() {
        RandomAccessFile f = stat;
        stat = null;
        if (f != null) {
            try {
                f.close();
            } catch (IOException e) {
                // nothing to do: it was only read
            }
        }
    }

    /** Closes the file watched, if any; later looks use {@link ProcessIdentity#isAlive}. Harmless twice. */
    @Override
    public synchronized void close() {
        closed = true;
        closeFile();
    }
}
