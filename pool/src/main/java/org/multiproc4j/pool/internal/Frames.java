package org.multiproc4j.pool.internal;

import java.util.Arrays;

/**
 * The messages between a pool and its workers, each sent as one byte message on the worker's pipe.
 *
 * <pre>
 * parent to worker
 *   DEFINE  | fnId int32 | JDK-serialized function (rest)
 *   FORGET  | fnId int32
 *   TASKS   | n int32 | n x ( fnId int32 | mode byte | length int32 | codec-encoded argument(s) )
 *   STOP    |
 * worker to parent
 *   RESULTS | n int32 | busy int32 | n x ( status byte | length int32 | codec-encoded result(s) or
 *           |                                  JDK-serialized RemoteException when status is ERROR )
 *           (busy: microseconds the worker spent running these n tasks, for the parent's scheduling)
 *   READY   |                  (once, when the initializer has run: the worker takes tasks from then on)
 *   INIT_FAILED | JDK-serialized RemoteException (rest)
 * </pre>
 *
 * A mode says how to call the function: {@link #FN} {@code f(x)}, {@link #BIFN} {@code f(a, b)} on a pair,
 * {@link #CALL} {@code c.call()}; with {@link #CHUNK} the argument is an {@code Object[]} of inputs and the
 * result an {@code Object[]} of outputs. Numbers are big-endian.
 */
public final class Frames {
    public static final byte DEFINE = 1;
    public static final byte FORGET = 2;
    public static final byte TASKS = 3;
    public static final byte STOP = 4;
    public static final byte RESULTS = 11;
    public static final byte INIT_FAILED = 12;
    public static final byte READY = 13;

    public static final byte FN = 0;
    public static final byte BIFN = 1;
    public static final byte CALL = 2;
    public static final byte CHUNK = 8;
    /** The function is forgotten after this task. */
    public static final byte ONCE = 16;

    public static final byte OK = 0;
    public static final byte ERROR = 1;

    private Frames() {
    }

    /** A growable byte array for building one message. */
    public static final class Writer {
        private byte[] buf = new byte[256];
        private int len;

        public void clear() {
            len = 0;
        }

        public int length() {
            return len;
        }

        public byte[] array() {
            return buf;
        }

        private void ensure(int extra) {
            if (len + extra > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
            }
        }

        public Writer put(byte b) {
            ensure(1);
            buf[len++] = b;
            return this;
        }

        public Writer putInt(int v) {
            ensure(4);
            buf[len] = (byte) (v >>> 24);
            buf[len + 1] = (byte) (v >>> 16);
            buf[len + 2] = (byte) (v >>> 8);
            buf[len + 3] = (byte) v;
            len += 4;
            return this;
        }

        public Writer putInt(int at, int v) {
            buf[at] = (byte) (v >>> 24);
            buf[at + 1] = (byte) (v >>> 16);
            buf[at + 2] = (byte) (v >>> 8);
            buf[at + 3] = (byte) v;
            return this;
        }

        public Writer put(byte[] b) {
            return put(b, 0, b.length);
        }

        public Writer put(byte[] b, int off, int n) {
            ensure(n);
            System.arraycopy(b, off, buf, len, n);
            len += n;
            return this;
        }

        /** Keeps a big buffer from being retained after one huge message. */
        public void trim() {
            if (buf.length > (1 << 20)) {
                buf = new byte[256];
            }
            len = 0;
        }
    }

    /** Reads numbers from a message. */
    public static int getInt(byte[] b, int at) {
        return (b[at] << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
