package org.multiproc4j.benchmarks.ipc;

import java.io.EOFException;

import org.multiproc4j.ipc.Connection;

/**
 * The child halves of the pipe benchmarks, each running in its own JVM until the benchmark closes its end of
 * the pipe (the child then sees end of file and returns).
 */
public final class PipePeers {
    private PipePeers() {
    }

    /**
     * Sends back every object received (Python's {@code _echo_obj}).
     *
     * @param c the child's end.
     * @return how many were echoed.
     * @throws Exception if the pipe fails other than by end of file.
     */
    public static Long echoObjects(Connection c) throws Exception {
        long n = 0;
        try {
            while (true) {
                c.send(c.recv());
                n++;
            }
        } catch (EOFException e) {
            return n;
        }
    }

    /**
     * Sends back every byte message received, through one reused buffer (Python's {@code _echo_bytes}).
     *
     * @param c       the child's end.
     * @param maxSize the largest message.
     * @return how many were echoed.
     * @throws Exception if the pipe fails other than by end of file.
     */
    public static Long echoBytes(Connection c, int maxSize) throws Exception {
        byte[] buf = new byte[maxSize];
        long n = 0;
        try {
            while (true) {
                int len = c.recvBytesInto(buf);
                c.sendBytes(buf, 0, len);
                n++;
            }
        } catch (EOFException e) {
            return n;
        }
    }

    /**
     * Receives byte messages; an empty message ends a batch and is answered with the batch's byte count
     * (Python's {@code _stream_sink}).
     *
     * @param c       the child's end.
     * @param into    receive into one reused array ({@code recvBytesInto}) rather than a new array per
     *                message ({@code recvBytes}, as Python's {@code recv_bytes}).
     * @param maxSize the largest message.
     * @return the bytes received in all.
     * @throws Exception if the pipe fails other than by end of file.
     */
    public static Long sink(Connection c, boolean into, int maxSize) throws Exception {
        byte[] buf = new byte[maxSize];
        long batch = 0;
        long all = 0;
        try {
            while (true) {
                int n = into ? c.recvBytesInto(buf) : c.recvBytes().length;
                if (n == 0) {
                    c.send(batch);
                    batch = 0;
                } else {
                    batch += n;
                    all += n;
                }
            }
        } catch (EOFException e) {
            return all;
        }
    }
}
