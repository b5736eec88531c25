package org.multiproc4j.benchmarks.ipc;

import java.io.EOFException;

import org.multiproc4j.ipc.Connection;
import org.multiproc4j.ipc.SharedQueue;
import org.multiproc4j.ipc.SimpleSharedQueue;

/**
 * The child halves of the queue benchmarks. Each child takes its orders from a control {@link Connection} and
 * runs until the benchmark closes it.
 */
public final class QueuePeers {
    /** The value that ends a consumer's round. */
    public static final int END_OF_ROUND = -1;

    private QueuePeers() {
    }

    /**
     * Puts a value on a {@link SharedQueue} or {@link SimpleSharedQueue}.
     *
     * @param queue the queue.
     * @param v     the value.
     * @throws InterruptedException if interrupted.
     */
    @SuppressWarnings("unchecked")
    public static void put(Object queue, Integer v) throws InterruptedException {
        if (queue instanceof SharedQueue) {
            ((SharedQueue<Integer>) queue).put(v);
        } else {
            ((SimpleSharedQueue<Integer>) queue).put(v);
        }
    }

    @SuppressWarnings("unchecked")
    static int take(Object queue) throws InterruptedException {
        if (queue instanceof SharedQueue) {
            return ((SharedQueue<Integer>) queue).take();
        }
        return ((SimpleSharedQueue<Integer>) queue).take();
    }

    /**
     * A producer: for each count received on {@code control}, puts that many integers, then answers.
     *
     * @param queue   a {@link SharedQueue} or {@link SimpleSharedQueue}.
     * @param control orders.
     * @return integers put in all.
     * @throws Exception if a channel fails other than by end of file.
     */
    public static Long producer(Object queue, Connection control) throws Exception {
        long all = 0;
        try {
            while (true) {
                int n = (Integer) control.recv();
                for (int i = 0; i < n; i++) {
                    put(queue, i);
                }
                all += n;
                control.send(n);
            }
        } catch (EOFException e) {
            return all;
        }
    }

    /**
     * A consumer: for each order on {@code control}, takes integers until {@link #END_OF_ROUND}, then answers
     * with how many it took.
     *
     * @param queue   a {@link SharedQueue} or {@link SimpleSharedQueue}.
     * @param control orders.
     * @return integers taken in all.
     * @throws Exception if a channel fails other than by end of file.
     */
    public static Long consumer(Object queue, Connection control) throws Exception {
        long all = 0;
        try {
            while (true) {
                control.recv();
                int n = 0;
                while (take(queue) != END_OF_ROUND) {
                    n++;
                }
                all += n;
                control.send(n);
            }
        } catch (EOFException e) {
            return all;
        }
    }

    /**
     * A worker of a joinable queue: takes, marks done, until a negative value.
     *
     * @param queue the queue.
     * @return values taken.
     * @throws InterruptedException if interrupted.
     */
    public static Long joinableWorker(org.multiproc4j.ipc.JoinableSharedQueue<Integer> queue) throws InterruptedException {
        long n = 0;
        while (true) {
            int v = queue.take();
            queue.taskDone();
            if (v < 0) {
                return n;
            }
            n++;
        }
    }
}
