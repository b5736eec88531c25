package org.multiproc4j.mpi.internal;

import java.util.ArrayList;
import java.util.concurrent.TimeoutException;

import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.ElementType;
import org.multiproc4j.mpi.MpiException;
import org.multiproc4j.mpi.Status;
import org.multiproc4j.sharedmem.IdlePolicy;

/**
 * One rank's message engine on the local backend: it writes messages into the rings to its peers and drains
 * the rings from them, matching each arriving message against the posted receives (in the order they were
 * posted) or keeping it as unexpected (in arrival order), as MPI's matching rules say.
 *
 * <p>A message is a frame with a header ({@code ctx, tag, kind}, and the total length when the message does not
 * fit one frame) and the first bytes of its data, followed, when longer than a ring's largest frame, by
 * continuation frames; the rings are one per ordered pair,
 * so a sender's frames never interleave and messages between a pair keep their order. A sender whose ring is
 * full drains its own incoming rings while it waits, so two ranks sending large messages to each other never
 * deadlock. Every wait spins briefly, then yields, then parks ({@link IdlePolicy#defaultPolicy()}), and checks
 * (every 16th idle period, at most every 10 ms) that the job is not aborted and no running peer died.
 *
 * <p>Not thread-safe: {@link LocalComm} serializes calls on this object.
 */
final class Engine {
    static final int WHOLE = 1;
    static final int FIRST = 2;
    static final int MORE = 3;
    /** Header of a first frame: ctx, tag, kind, 4 spare bytes, total length. */
    static final int HEADER = 24;
    /**
     * Header of a whole message's frame: ctx, tag, kind (its length is the frame's, less this header). Shorter than
     * a first frame's so that a small message spans fewer cache lines of the ring: each line the receiver reads is
     * one more transfer from the sender's core.
     */
    static final int WHOLE_HEADER = 12;
    /** Kind of an object message; buffer messages carry their element type's ordinal. */
    static final int KIND_OBJECT = 100;
    /** Engine-level wildcard. */
    static final int ANY = -1;
    private static final int CHUNK_SHIFT = 30;
    static final ElementType[] TYPES = ElementType.values();
    private static final long BYTE_BASE = UnsafeApi.arrayBaseOffset(byte[].class);

    final LocalJob job;
    final int me;
    final int n;
    private final OneToOneRingBuffer[] in;
    private final OneToOneRingBuffer[] out;
    private final int maxFrame;
    /**
     * System property choosing how a rank waits: {@code default} ({@link IdlePolicy#defaultPolicy()}: spin, yield,
     * park; right when ranks may outnumber cores) or {@code spin} ({@link IdlePolicy#busySpin()}: the lowest
     * latency, for ranks on dedicated cores, as Open MPI's shared-memory transport polls).
     */
    static final String IDLE_PROP = "multiproc4j.mpi.local.idle";

    final IdleStrategy idle = idlePolicy().newIdleStrategy();
    private final ArrayList<Msg> unexpected = new ArrayList<>();
    private final ArrayList<Recv> posted = new ArrayList<>();
    private final Msg[] partial;
    /** What a receive's {@code msg} is when a whole message went straight into it. */
    private static final Msg MATCHED = new Msg(-1, -1, -1, KIND_OBJECT, 0);
    private int idles;
    private final MessageHandler handler = this::onFrame;
    private int current;
    private int rotation;

    static IdlePolicy idlePolicy() {
        String v = System.getProperty(IDLE_PROP, "default");
        switch (v) {
            case "spin":
                return IdlePolicy.busySpin();
            case "default":
                return IdlePolicy.defaultPolicy();
            default:
                throw new MpiException("system property " + IDLE_PROP + " must be 'default' or 'spin', got '" + v + "'");
        }
    }

    Engine(LocalJob job, int me) {
        this.job = job;
        this.me = me;
        this.n = job.size();
        in = new OneToOneRingBuffer[n];
        out = new OneToOneRingBuffer[n];
        for (int r = 0; r < n; r++) {
            in[r] = job.ring(r, me);
            out[r] = job.ring(me, r);
        }
        maxFrame = in[0].maxMsgLength() & ~7;
        partial = new Msg[n];
    }

    /** A message as it arrives. */
    static final class Msg {
        final int src;
        final int ctx;
        final int tag;
        final int kind;
        final long total;
        long got;
        Recv target;
        byte[][] chunks;
        boolean done;

        Msg(int src, int ctx, int tag, int kind, long total) {
            this.src = src;
            this.ctx = ctx;
            this.tag = tag;
            this.kind = kind;
            this.total = total;
        }
    }

    /** A posted receive. */
    static final class Recv {
        final int ctx;
        final int src;
        final int tag;
        final Buf buf;
        final int[] worldToComm;
        final String op;
        final Status status = new Status();
        Object base;
        long addr;
        byte[] bytes;
        Msg msg;
        boolean done;
        MpiException error;

        Recv(String op, int ctx, int src, int tag, Buf buf, int[] worldToComm) {
            this.op = op;
            this.ctx = ctx;
            this.src = src;
            this.tag = tag;
            this.buf = buf;
            this.worldToComm = worldToComm;
        }

        boolean matches(Msg m) {
            return matches(m.ctx, m.src, m.tag);
        }

        boolean matches(int mctx, int msrc, int mtag) {
            return mctx == ctx && (src == ANY || src == msrc) && (tag == ANY || tag == mtag);
        }

        void open(Msg m) {
            open(m.src, m.tag, m.kind, m.total);
        }

        void open(int msrc, int mtag, int kind, long total) {
            int source = worldToComm[msrc];
            ElementType type = kind == KIND_OBJECT ? null : TYPES[kind];
            status.set(source, mtag, total, type);
            if (buf == null) {
                if (kind != KIND_OBJECT) {
                    error = new MpiException(op + ": expected an object message but rank " + source + " sent "
                            + total / type.size() + " " + type + " elements with tag " + mtag
                            + " (receive it into a Buf)");
                } else if (total > Integer.MAX_VALUE - 8) {
                    error = new MpiException(op + ": object message of " + total + " bytes from rank " + source
                            + " is too large for one array");
                } else {
                    bytes = new byte[(int) total];
                    base = bytes;
                    addr = BYTE_BASE;
                }
                return;
            }
            if (kind == KIND_OBJECT) {
                error = new MpiException(op + ": rank " + source + " sent an object message (" + total
                        + " bytes) with tag " + mtag + " but the receive buffer holds " + buf.type()
                        + " elements (receive it as an object)");
            } else if (kind != buf.type().ordinal()) {
                error = new MpiException(op + ": rank " + source + " sent " + type + " elements with tag " + mtag
                        + " but the receive buffer holds " + buf.type() + " elements");
            } else if (total > buf.byteCount()) {
                error = new MpiException(op + ": message truncated: rank " + source + " sent " + total / type.size()
                        + " " + type + " elements with tag " + mtag + " but the receive buffer holds "
                        + buf.count());
            } else {
                base = Mem.base(buf);
                addr = Mem.address(buf);
            }
        }

        void write(long pos, long srcAddress, int len) {
            if (error == null) {
                Mem.copy(null, srcAddress, base, addr + pos, len);
            }
        }
    }

    // ------------------------------------------------------------------ sending

    /**
     * Sends a message; returns when its last frame is in the destination's ring.
     *
     * @param ctx   the context.
     * @param tag   the tag.
     * @param dst   the destination, a world rank.
     * @param kind  an element type's ordinal or {@link #KIND_OBJECT}.
     * @param base  the data's base object, or {@code null}.
     * @param addr  the data's address.
     * @param total its length in bytes.
     */
    void send(int ctx, int tag, int dst, int kind, Object base, long addr, long total) {
        OneToOneRingBuffer ring = out[dst];
        AtomicBuffer rb = ring.buffer();
        if (total <= maxFrame - WHOLE_HEADER) {
            // the common case: one frame
            int len = (int) total + WHOLE_HEADER;
            int idx = claim(ring, WHOLE, len);
            rb.putInt(idx, ctx);
            rb.putInt(idx + 4, tag);
            rb.putInt(idx + 8, kind);
            if (total > 0) {
                Mem.copy(base, addr, null, rb.addressOffset() + idx + WHOLE_HEADER, total);
            }
            ring.commit(idx);
            return;
        }
        long sent = 0;
        boolean first = true;
        do {
            int chunk = (int) Math.min(first ? maxFrame - HEADER : maxFrame, total - sent);
            int len = first ? chunk + HEADER : chunk;
            int idx = claim(ring, first ? FIRST : MORE, len);
            int p = idx;
            if (first) {
                rb.putInt(idx, ctx);
                rb.putInt(idx + 4, tag);
                rb.putInt(idx + 8, kind);
                rb.putLong(idx + 16, total);
                p += HEADER;
            }
            if (chunk > 0) {
                Mem.copy(base, addr + sent, null, rb.addressOffset() + p, chunk);
            }
            ring.commit(idx);
            sent += chunk;
            first = false;
        } while (sent < total);
    }

    private int claim(OneToOneRingBuffer ring, int type, int len) {
        int idx = ring.tryClaim(type, len);
        if (idx >= 0) {
            return idx;
        }
        try {
            while (true) {
                int work = progress();
                idx = ring.tryClaim(type, len);
                if (idx >= 0) {
                    return idx;
                }
                if (work == 0) {
                    idleOnce();
                }
            }
        } finally {
            idle.reset();
        }
    }

    /**
     * Idles once; every 16th time first checks the job's health (the check reads the clock, which would slow the
     * spinning phase of a wait; the checks stay at least 10 ms apart anyway).
     */
    void idleOnce() {
        if ((++idles & 15) == 0) {
            job.checkHealth(me);
        }
        idle.idle();
    }

    // ------------------------------------------------------------------ receiving

    /**
     * Posts a receive: binds it to the first matching unexpected message, or queues it.
     *
     * @param r the receive.
     * @return {@code r}.
     */
    Recv post(Recv r) {
        for (int i = 0; i < unexpected.size(); i++) {
            Msg m = unexpected.get(i);
            if (r.matches(m)) {
                unexpected.remove(i);
                bind(r, m);
                return r;
            }
        }
        posted.add(r);
        return r;
    }

    private void bind(Recv r, Msg m) {
        r.msg = m;
        m.target = r;
        r.open(m);
        if (m.chunks != null) {
            long pos = 0;
            for (byte[] c : m.chunks) {
                long len = Math.min(c.length, m.got - pos);
                if (len <= 0) {
                    break;
                }
                if (r.error == null) {
                    Mem.copy(c, BYTE_BASE, r.base, r.addr + pos, len);
                }
                pos += len;
            }
            m.chunks = null;
        }
        if (m.done) {
            r.done = true;
        }
    }

    /**
     * Waits for a posted receive to complete.
     *
     * @param r             the receive.
     * @param deadlineNanos the deadline, {@link Long#MAX_VALUE} for none.
     * @throws TimeoutException if the deadline passed before a message was matched (the receive is withdrawn).
     * @throws MpiException     if the receive failed.
     */
    void await(Recv r, long deadlineNanos) throws TimeoutException {
        if (!r.done) {
            try {
                while (!r.done) {
                    int work = progress();
                    if (r.done) {
                        break;
                    }
                    if (work == 0) {
                        if ((++idles & 15) == 0) {
                            job.checkHealth(me);
                        }
                        if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos >= 0 && r.msg == null) {
                            posted.remove(r);
                            throw new TimeoutException(r.op + ": no matching message within the timeout");
                        }
                        idle.idle();
                    }
                }
            } finally {
                idle.reset();
            }
        }
        if (r.error != null) {
            throw new MpiException(r.error.getMessage());
        }
    }

    /**
     * Makes progress once and tells whether a receive is complete.
     *
     * @param r the receive.
     * @return {@code true} if it is.
     */
    boolean test(Recv r) {
        if (!r.done) {
            if (progress() == 0) {
                job.checkHealth(me);
            }
        }
        if (r.done && r.error != null) {
            throw new MpiException(r.error.getMessage());
        }
        return r.done;
    }

    /**
     * Finds the first unexpected message a receive with these arguments would match.
     *
     * @param ctx the context.
     * @param src the source world rank or {@link #ANY}.
     * @param tag the tag or {@link #ANY}.
     * @return the message, or {@code null}.
     */
    Msg peek(int ctx, int src, int tag) {
        progress();
        for (Msg m : unexpected) {
            if (m.ctx == ctx && (src == ANY || src == m.src) && (tag == ANY || tag == m.tag)) {
                return m;
            }
        }
        return null;
    }

    /**
     * Waits for a matching unexpected message.
     *
     * @param ctx           the context.
     * @param src           the source world rank or {@link #ANY}.
     * @param tag           the tag or {@link #ANY}.
     * @param deadlineNanos the deadline.
     * @return the message.
     * @throws TimeoutException if the deadline passed first.
     */
    Msg awaitPeek(int ctx, int src, int tag, long deadlineNanos) throws TimeoutException {
        try {
            while (true) {
                Msg m = peek(ctx, src, tag);
                if (m != null) {
                    return m;
                }
                job.checkHealth(me);
                if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos >= 0) {
                    throw new TimeoutException("probe: no matching message within the timeout");
                }
                idle.idle();
            }
        } finally {
            idle.reset();
        }
    }

    /**
     * Drains every incoming ring once.
     *
     * @return the number of frames read.
     */
    int progress() {
        int work = 0;
        int r = rotation;
        for (int i = 0; i < n; i++) {
            current = r;
            work += in[r].read(handler, 64);
            r = r + 1 == n ? 0 : r + 1;
        }
        rotation = rotation + 1 == n ? 0 : rotation + 1;
        return work;
    }

    private void onFrame(int type, MutableDirectBuffer buffer, int index, int length) {
        int src = current;
        long address = buffer.addressOffset() + index;
        if (type == MORE) {
            deliver(partial[src], address, length);
            return;
        }
        int ctx = buffer.getInt(index);
        int tag = buffer.getInt(index + 4);
        int kind = buffer.getInt(index + 8);
        boolean whole = type == WHOLE;
        int header = whole ? WHOLE_HEADER : HEADER;
        long total = whole ? length - WHOLE_HEADER : buffer.getLong(index + 16);
        Recv match = null;
        for (int i = 0; i < posted.size(); i++) {
            Recv r = posted.get(i);
            if (r.matches(ctx, src, tag)) {
                match = r;
                posted.remove(i);
                break;
            }
        }
        if (match != null && whole) {
            // the common case, a whole message for a waiting receive: straight into its buffer, no Msg
            match.msg = MATCHED;
            match.open(src, tag, kind, total);
            if (total > 0) {
                match.write(0, address + header, (int) total);
            }
            match.done = true;
            return;
        }
        Msg m = new Msg(src, ctx, tag, kind, total);
        if (match != null) {
            bind(match, m);
        } else {
            m.chunks = allocate(m.total);
            unexpected.add(m);
        }
        if (m.total == 0) {
            finish(m);
        } else {
            partial[src] = m;
            deliver(m, address + header, length - header);
        }
    }

    private static byte[][] allocate(long total) {
        int count = (int) ((total + (1L << CHUNK_SHIFT) - 1) >>> CHUNK_SHIFT);
        byte[][] chunks = new byte[count][];
        for (int i = 0; i < count; i++) {
            chunks[i] = new byte[(int) Math.min(1L << CHUNK_SHIFT, total - ((long) i << CHUNK_SHIFT))];
        }
        return chunks;
    }

    private void deliver(Msg m, long address, int len) {
        if (len > 0) {
            if (m.target != null) {
                m.target.write(m.got, address, len);
            } else {
                long pos = m.got;
                int done = 0;
                while (done < len) {
                    int c = (int) (pos >>> CHUNK_SHIFT);
                    int within = (int) (pos & ((1L << CHUNK_SHIFT) - 1));
                    int part = Math.min(len - done, m.chunks[c].length - within);
                    Mem.copy(null, address + done, m.chunks[c], BYTE_BASE + within, part);
                    done += part;
                    pos += part;
                }
            }
            m.got += len;
        }
        if (m.got == m.total) {
            finish(m);
        }
    }

    private void finish(Msg m) {
        m.done = true;
        if (partial[m.src] == m) {
            partial[m.src] = null;
        }
        if (m.target != null) {
            m.target.done = true;
        }
    }
}
