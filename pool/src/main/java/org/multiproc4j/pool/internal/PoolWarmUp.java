package org.multiproc4j.pool.internal;

import java.util.ArrayList;
import java.util.List;

import org.multiproc4j.core.SerializableFunction;
import org.multiproc4j.core.Shareable;
import org.multiproc4j.core.internal.TaskCodec;
import org.multiproc4j.core.internal.TaskWire;
import org.multiproc4j.core.spi.ChildWarmUp;
import org.multiproc4j.ipc.ChannelOptions;
import org.multiproc4j.ipc.Connection;
import org.multiproc4j.ipc.Pipe;
import org.multiproc4j.sharedmem.SharedLong;

/**
 * Puts a pool worker's classes into the class-data archive children map (run by the JVM that trains it, see
 * {@link ChildWarmUp}). A worker otherwise loads some 300 classes from jars that the archive of a no-op child
 * lacks, and spins the method-handle classes that deserializing its task's handles and mapping its pipe need,
 * between the moment it receives its assignment and its first result; and, after that result, the fast codec's.
 * The work is in two steps, each a provider of its own: this class loads the classes by name; {@link Loop} runs
 * a real worker loop on a thread of the training JVM against a pipe of its own (a function defined, a single task
 * and a packed chunk answered, then told to stop) and the fast codec's warm-up. Both leave nothing behind: the
 * pipe and the counter are closed (their segments unlinked) and the worker's thread has ended when they return.
 * They take a cold training JVM about 0.3 s (a third of it the fast codec's warm-up), more than the tens of
 * milliseconds {@link ChildWarmUp} asks for: it is paid once per classpath, in the background, and every worker
 * from then on saves a part of it.
 */
public final class PoolWarmUp implements ChildWarmUp {
    /** The classes a worker loads on its paths (from class-loading logs, less what core's training loads). */
    static final List<String> CLASSES = List.of(
            "org.multiproc4j.pool.internal.WorkerMain",
            "org.multiproc4j.pool.internal.WorkerMain$BrokenFunction",
            "org.multiproc4j.pool.internal.PayloadCodec",
            "org.multiproc4j.pool.internal.Packed",
            "org.multiproc4j.pool.internal.Frames",
            "org.multiproc4j.pool.internal.Frames$Writer",
            "org.multiproc4j.pool.internal.ResultBatch",
            "org.multiproc4j.core.SerializableFunction",
            "org.multiproc4j.core.SerializableBiFunction",
            "org.multiproc4j.core.internal.TaskCodec",
            "org.multiproc4j.sharedmem.SharedObject",
            "org.multiproc4j.sharedmem.SharedValue",
            "org.multiproc4j.sharedmem.SharedLong",
            "org.multiproc4j.ipc.Pipe",
            "org.multiproc4j.ipc.PipeConnection",
            "org.multiproc4j.ipc.ChannelOptions",
            "org.multiproc4j.ipc.internal.PipeEnd",
            "org.multiproc4j.ipc.internal.PipeSender",
            "org.multiproc4j.ipc.internal.PipeReceiver",
            "java.lang.invoke.SerializedLambda");

    /** Creates the warm-up (found by {@link java.util.ServiceLoader}). */
    public PoolWarmUp() {
    }

    @Override
    public void warmUp() {
        prepare();
    }

    /** In a warm spare, initializes the same classes (no pipe, segment, socket or thread). */
    @Override
    public void prepare() {
        ChildWarmUp.initialize(PoolWarmUp.class.getClassLoader(), CLASSES);
    }

    /**
     * A worker's life in miniature: its task serialized as a pool sends it, its loop run on a thread against a
     * pipe whose other end this step plays the pool with, and the fast codec's warm-up that a worker runs after
     * its first results.
     */
    public static final class Loop implements ChildWarmUp {
        private static final long JOIN_MILLIS = 5_000;

        /** Creates the step (found by {@link java.util.ServiceLoader}). */
        public Loop() {
        }

        @Override
        public void warmUp() throws Exception {
            exercise();
            WorkerMain.warmUp();
        }

        /**
         * In a warm spare whose parent expects it to become a pool's worker ({@code taskClass} is
         * {@link WorkerMain}'s): {@link #rehearse()}. Other classes are ignored.
         */
        @Override
        public void rehearse(String taskClass) throws Exception {
            if (WorkerMain.class.getName().equals(taskClass)) {
                rehearse();
            }
        }

        /**
         * A worker's start as a spare that becomes one lives it, on a pipe and a counter of its own: the task
         * encoded as {@code JvmProcess.start()} sends it, decoded as the child does (attaching the pipe end and
         * the counter through their handles: the serialization accessors, lambdas and mappings a real worker
         * otherwise makes after it got its task), then its loop run on a thread against this step playing the
         * pool. Everything is closed (the segments unlinked) and the thread has ended when it returns.
         *
         * @return the results the worker sent, decoded: the single task's, then the chunk's.
         * @throws Exception if anything fails, or the worker answers out of protocol.
         */
        static List<Object> rehearse() throws Exception {
            List<Object> results = new ArrayList<>();
            List<AutoCloseable> attached = new ArrayList<>();
            Pipe pipe = Pipe.open(new ChannelOptions().capacity(64 * 1024));
            try (SharedLong started = SharedLong.create(0)) {
                Connection mine = pipe.first();
                PayloadCodec codec = new PayloadCodec(null);
                byte[] task;
                List<Shareable> captured = new ArrayList<>();
                try {
                    task = TaskWire.encodeTask(new WorkerMain(pipe.second(), started, null, 0, codec), captured);
                } finally {
                    for (Shareable sh : captured) {
                        sh.handedOver(ProcessHandle.current());     // this process attaches them, below
                    }
                    pipe.second().close();                          // as the pool does once the worker has it
                }
                WorkerMain worker = ((WorkerMain) TaskWire.decodeTask(task, WorkerMain.class.getClassLoader(),
                        attached)).withoutCodecWarmUp();
                runAndPlay(worker, mine, codec, results, "multiproc4j-pool-rehearsal");
            } finally {
                for (int i = attached.size() - 1; i >= 0; i--) {
                    try {
                        attached.get(i).close();
                    } catch (Exception ignored) {
                        // closed with the pipe
                    }
                }
                pipe.close();
            }
            return results;
        }

        /**
         * Runs {@code worker}'s loop on a thread of its own while this thread plays the pool's side on
         * {@code mine}; closes {@code mine} and waits (briefly) for the worker's thread to end.
         */
        private static void runAndPlay(WorkerMain worker, Connection mine, PayloadCodec codec, List<Object> results,
                                       String threadName) throws Exception {
            Thread t = new Thread(() -> {
                try {
                    worker.run();
                } catch (Exception ignored) {
                    // only a warm-up or a rehearsal
                }
            }, threadName);
            t.setDaemon(true);
            t.start();
            try {
                play(mine, codec, results);
            } finally {
                mine.close();
                t.join(JOIN_MILLIS);
            }
        }

        /**
         * Runs the worker's loop and plays the pool's side.
         *
         * @return the results the worker sent, decoded: the single task's, then the chunk's.
         * @throws Exception if anything fails, or the worker answers out of protocol.
         */
        static List<Object> exercise() throws Exception {
            List<Object> results = new ArrayList<>();
            Pipe pipe = Pipe.open(new ChannelOptions().capacity(64 * 1024));
            try (SharedLong started = SharedLong.create(0)) {
                Connection mine = pipe.first();
                Connection theirs = pipe.second();
                PayloadCodec codec = new PayloadCodec(null);
                WorkerMain worker = new WorkerMain(theirs, started, null, 0, codec).withoutCodecWarmUp();
                List<Shareable> captured = new ArrayList<>();
                try {
                    TaskCodec.encode(worker, "task", captured);     // as the pool sends it: handles for shared objects
                } finally {
                    for (Shareable sh : captured) {
                        sh.handedOver(null);                        // nobody attaches these bytes
                    }
                }
                runAndPlay(worker, mine, codec, results, "multiproc4j-pool-warm-up");
            } finally {
                pipe.close();
            }
            return results;
        }

        /** The pool's side: a function, one task, one packed chunk, their results, then stop. */
        private static void play(Connection conn, PayloadCodec codec, List<Object> results) throws Exception {
            SerializableFunction<Integer, Integer> cube = x -> x * x * x;
            expect(conn.recvBytes(), Frames.READY);
            Frames.Writer w = new Frames.Writer();
            w.put(Frames.DEFINE).putInt(1).put(TaskCodec.encode(cube, "function"));
            conn.sendBytes(w.array(), 0, w.length());
            byte[] one = codec.encode(3);
            byte[] chunk = codec.encode(new Object[] {1, 2, 3, 4});
            w.clear();
            w.put(Frames.TASKS).putInt(2);
            w.putInt(1).put(Frames.FN).putInt(one.length).put(one);
            w.putInt(1).put((byte) (Frames.FN | Frames.CHUNK)).putInt(chunk.length).put(chunk);
            conn.sendBytes(w.array(), 0, w.length());
            int answered = 0;
            while (answered < 2) {
                byte[] m = conn.recvBytes();
                expect(m, Frames.RESULTS);
                int n = Frames.getInt(m, 1);
                int at = 9;
                for (int i = 0; i < n; i++) {
                    int len = Frames.getInt(m, at + 1);
                    if (m[at] != Frames.OK) {
                        throw new IllegalStateException("pool warm-up: a task failed in the worker's loop");
                    }
                    results.add(codec.decode(m, at + 5, len));
                    at += 5 + len;
                }
                answered += n;
            }
            conn.sendBytes(new byte[] {Frames.STOP});
        }

        private static void expect(byte[] message, byte kind) {
            if (message.length == 0 || message[0] != kind) {
                throw new IllegalStateException("pool warm-up: the worker's loop sent message kind "
                        + (message.length == 0 ? "none" : message[0]) + ", not " + kind);
            }
        }
    }
}
