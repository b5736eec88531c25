package org.multiproc4j.pool;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.pool.internal.Frames;

/** The iterator of imap and imapUnordered: reads inputs as results are consumed, at most maxInFlight tasks ahead. */
final class LazyMap<R> implements ResultIterator<R>, Task.Sink {

    private static final class Chunk {
        Object[] results;
        Throwable failure;
        boolean done;
    }

    private final ProcessPool pool;
    private final FunctionTable.Ref fn;
    private final Iterator<?> inputs;
    /** The chunk size, or 0 for chunks that double up to MAX_ADAPTIVE_CHUNK. */
    private final int fixedChunk;
    private final boolean ordered;
    private final int maxInFlight;
    private final String kind;

    // read and written by the iterating thread only
    private int nextChunkSize = 1;
    private long nextIndex;
    private long chunkCount;

    // guarded by this
    private final ArrayDeque<Chunk> submitted = new ArrayDeque<>();
    private final ArrayDeque<Chunk> completed = new ArrayDeque<>();
    private int inFlight;
    private boolean inputDone;
    /** What reading the input threw, for the caller once the results read before it are taken. */
    private RuntimeException deferred;
    private Object[] current;
    private int position;

    LazyMap(ProcessPool pool, FunctionTable.Ref fn, Iterator<?> inputs, int fixedChunk, boolean ordered,
            int maxInFlight) {
        this.pool = pool;
        this.fn = fn;
        this.inputs = inputs;
        this.fixedChunk = fixedChunk;
        this.ordered = ordered;
        this.maxInFlight = maxInFlight;
        this.kind = ordered ? "imap" : "imapUnordered";
        refill();
    }

    /**
     * Reads inputs and submits chunks while fewer than maxInFlight are outstanding. The input is read outside this
     * object's monitor, so that a slow input never holds up the reader threads that deliver results here.
     */
    private void refill() {
        List<Task> tasks = new ArrayList<>();
        int room;
        synchronized (this) {
            room = inputDone ? 0 : maxInFlight - inFlight;
        }
        RuntimeException readFailure = null;
        try {
            read(room, tasks);
        } catch (RuntimeException e) {
            readFailure = e; // submit the chunks read before it, then throw it
        }
        synchronized (this) {
            for (Task t : tasks) {
                submitted.addLast((Chunk) t.attachment);
                inFlight++;
            }
            if (readFailure != null) {
                inputDone = true;
                deferred = readFailure; // thrown once the results before it are taken
            }
        }
        submit(tasks);
    }

    /** Reads up to {@code room} chunks' worth of inputs (in the iterating thread, outside the monitor). */
    private void read(int room, List<Task> tasks) {
        for (int k = 0; k < room; k++) {
            if (!inputs.hasNext()) {
                synchronized (this) {
                    inputDone = true;
                }
                break;
            }
            int size = fixedChunk > 0 ? fixedChunk : nextChunkSize;
            if (fixedChunk == 0) {
                nextChunkSize = Math.min(ProcessPool.MAX_ADAPTIVE_CHUNK, nextChunkSize * 2);
            }
            List<Object> part = new ArrayList<>(Math.min(size, 1024));
            while (part.size() < size && inputs.hasNext()) {
                part.add(inputs.next());
            }
            Chunk c = new Chunk();
            byte[] args = pool.encodeInputs(part.toArray());
            tasks.add(new Task(fn, (byte) (Frames.FN | Frames.CHUNK), args, this, kind, chunkCount++, nextIndex,
                    part.size(), c));
            nextIndex += part.size();
        }
    }

    private void submit(List<Task> tasks) {
        if (!tasks.isEmpty()) {
            try {
                pool.submitChunks(tasks);
            } catch (CancellationException e) {
                synchronized (this) {
                    inputDone = true;
                    for (Task t : tasks) {
                        Chunk c = (Chunk) t.attachment;
                        c.failure = e;
                        c.done = true;
                        if (!ordered) {
                            completed.addLast(c);
                        }
                    }
                }
            }
        }
    }

    @Override
    public void succeeded(Task task, Object value) {
        Chunk c = (Chunk) task.attachment;
        synchronized (this) {
            c.results = (Object[]) value;
            c.done = true;
            if (!ordered) {
                completed.addLast(c);
            }
            notifyAll();
        }
    }

    @Override
    public void failed(Task task, Throwable cause) {
        Chunk c = (Chunk) task.attachment;
        synchronized (this) {
            c.failure = cause;
            c.done = true;
            if (!ordered) {
                completed.addLast(c);
            }
            notifyAll();
        }
    }

    @Override
    public boolean hasNext() {
        synchronized (this) {
            if (current != null && position < current.length) {
                return true;
            }
            if (inFlight > 0 || deferred != null) {
                return true;
            }
        }
        refill();
        synchronized (this) {
            return inFlight > 0 || deferred != null;
        }
    }

    @Override
    public R next() {
        try {
            return take(Deadlines.NEVER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public R next(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        return take(Deadlines.of(timeout));
    }

    @SuppressWarnings("unchecked")
    private R take(long deadline) throws InterruptedException, ExecutionException, TimeoutException {
        synchronized (this) {
            if (current != null && position < current.length) {
                return (R) current[position++];
            }
        }
        refill();
        Chunk c;
        synchronized (this) {
            while (true) {
                c = ordered ? submitted.peekFirst() : completed.peekFirst();
                if (c == null && inFlight == 0) {
                    if (deferred != null) {
                        RuntimeException e = deferred;
                        deferred = null;
                        throw e;
                    }
                    throw new NoSuchElementException("no more results");
                }
                if (c != null && c.done) {
                    break;
                }
                long left = Deadlines.remaining(deadline);
                if (left <= 0) {
                    throw new TimeoutException("the next result is not ready");
                }
                long ms = Math.max(1, Math.min(left / 1_000_000, 100));
                wait(ms);
            }
            if (ordered) {
                submitted.pollFirst();
            } else {
                completed.pollFirst();
                submitted.remove(c);
            }
            inFlight--;
            current = null;
            position = 0;
            if (c.failure != null) {
                if (c.failure instanceof CancellationException) {
                    throw (CancellationException) c.failure;
                }
                throw new ExecutionException(c.failure);
            }
            current = c.results;
        }
        refill();
        synchronized (this) {
            return (R) current[position++];
        }
    }
}
