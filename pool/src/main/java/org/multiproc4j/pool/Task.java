package org.multiproc4j.pool;

/** One message's worth of work for a worker: a function (by id), how to call it and its encoded argument(s). */
final class Task {
    /** Receives a task's outcome, in a reader thread (or the thread that terminates the pool). */
    interface Sink {
        void succeeded(Task task, Object value);

        void failed(Task task, Throwable cause);
    }

    final FunctionTable.Ref fn;
    final byte mode;
    final byte[] args;
    final Sink sink;
    /** What the task is, for messages: "applyAsync", "map", "imap"... */
    final String kind;
    /** The chunk's number, or the task's sequence number. */
    final long index;
    /** The first input's position and the number of inputs, or -1 for a single task. */
    final long first;
    final int count;
    /** For the sink's own use (the chunk an iterator waits for). */
    final Object attachment;
    /**
     * Whether {@link #args} may be reused for another task once this one is answered (a packed chunk of a map: the
     * pool made the array and nobody else holds it).
     */
    boolean spareArgs;

    Task(FunctionTable.Ref fn, byte mode, byte[] args, Sink sink, String kind, long index, long first, int count,
         Object attachment) {
        this.fn = fn;
        this.mode = mode;
        this.args = args;
        this.sink = sink;
        this.kind = kind;
        this.index = index;
        this.first = first;
        this.count = count;
        this.attachment = attachment;
    }

    String describe() {
        String f = fn.description;
        if (first < 0) {
            return kind + " task " + index + " (" + f + ")";
        }
        return kind + " chunk " + index + " (inputs " + first + " to " + (first + count - 1) + ", " + f + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
