package org.multiproc4j.mpi;

/**
 * What a receive or a probe learned about a message: its source rank, its tag and its size. Buffer receives
 * and probes return one; an object receive fills one the caller passes (as mpi4py's {@code status=}
 * argument).
 *
 * <pre>{@code
 * try (Mpi mpi = Mpi.init(new String[0])) {
 *     Comm world = mpi.world();
 *     world.send(Buf.of(new int[] {1, 2, 3}), 0, 7);
 *     Status s = world.recv(Buf.of(new int[10]), Comm.ANY_SOURCE, Comm.ANY_TAG);
 *     System.out.println(s.source() + " " + s.tag() + " " + s.count(ElementType.INT));   // 0 7 3
 * }
 * }</pre>
 *
 * <p><b>Thread and process safety.</b> Not thread-safe: an operation fills it, then one thread reads it.
 */
public final class Status {
    private int source = -1;
    private int tag = -1;
    private long byteCount;
    private ElementType type;

    /** Creates an empty status, to be filled by a receive. */
    public Status() {
    }

    /**
     * Creates a filled status (for backends).
     *
     * @param source    the source rank.
     * @param tag       the tag.
     * @param byteCount the message's size in bytes.
     * @param type      its element type, or {@code null} for an object message.
     */
    public Status(int source, int tag, long byteCount, ElementType type) {
        set(source, tag, byteCount, type);
    }

    /**
     * Fills this status (for backends).
     *
     * @param source    the source rank.
     * @param tag       the tag.
     * @param byteCount the message's size in bytes.
     * @param type      its element type, or {@code null} for an object message.
     */
    public void set(int source, int tag, long byteCount, ElementType type) {
        this.source = source;
        this.tag = tag;
        this.byteCount = byteCount;
        this.type = type;
    }

    /**
     * Returns the rank that sent the message, in the communicator it came on.
     *
     * @return the source rank, or -1 if nothing was received.
     */
    public int source() {
        return source;
    }

    /**
     * Returns the message's tag.
     *
     * @return the tag, or -1 if nothing was received.
     */
    public int tag() {
        return tag;
    }

    /**
     * Returns the message's size in bytes (its encoded size for an object message).
     *
     * @return the size.
     */
    public long byteCount() {
        return byteCount;
    }

    /**
     * Returns the message's element type.
     *
     * @return the type, or {@code null} for an object message.
     */
    public ElementType type() {
        return type;
    }

    /**
     * Returns the number of elements of the given type in the message ({@code MPI_Get_count}).
     *
     * @param type the element type.
     * @return the count.
     * @throws MpiException if the size is not a multiple of the type's size.
     */
    public int count(ElementType type) {
        if (byteCount % type.size() != 0) {
            throw new MpiException("Status.count: message of " + byteCount + " bytes is not a whole number of "
                    + type + " elements");
        }
        long c = byteCount / type.size();
        return c > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) c;
    }

    /**
     * Describes the status.
     *
     * @return e.g. {@code Status[source=1, tag=7, bytes=24, type=INT]}.
     */
    @Override
    public String toString() {
        return "Status[source=" + source + ", tag=" + tag + ", bytes=" + byteCount + ", type="
                + (type == null ? "object" : type) + "]";
    }
}
