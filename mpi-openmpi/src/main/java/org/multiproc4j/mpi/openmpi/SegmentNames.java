package org.multiproc4j.mpi.openmpi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.multiproc4j.sharedmem.SharedMemory;

/**
 * A shared-memory segment's name as ranks exchange it through MPI ({@link NodeArea}, {@link Outbox}): at an offset
 * of a direct buffer, an {@code int} length (0: no segment) and the name's ASCII bytes.
 */
final class SegmentNames {
    private SegmentNames() {
    }

    /** Writes {@code segment}'s name at {@code at}, or length 0 for none ({@code null}). */
    static void put(ByteBuffer buf, int at, SharedMemory segment) {
        if (segment == null) {
            buf.putInt(at, 0);
            return;
        }
        byte[] n = segment.name().getBytes(StandardCharsets.US_ASCII);
        buf.putInt(at, n.length);
        buf.position(at + 4);
        buf.put(n);
        buf.clear();
    }

    /** Attaches the segment named at {@code at}; {@code null} if none is named there or it cannot be attached. */
    static SharedMemory attach(ByteBuffer buf, int at) {
        int len = buf.getInt(at);
        if (len <= 0) {
            return null;
        }
        byte[] n = new byte[len];
        buf.position(at + 4);
        buf.get(n);
        buf.clear();
        try {
            return SharedMemory.attach(new String(n, StandardCharsets.US_ASCII));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
