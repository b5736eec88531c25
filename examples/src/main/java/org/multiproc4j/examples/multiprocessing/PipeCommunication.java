package org.multiproc4j.examples.multiprocessing;

import java.io.IOException;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.ipc.Connection;
import org.multiproc4j.ipc.Pipe;

/**
 * The tutorial's "pipe communication": one child JVM sends the cube of 5 through one end of a {@link Pipe},
 * another child receives it from the other end and prints it. {@code 125} is printed last: the receiver prints
 * it only after the sender has sent it.
 *
 * <p>Python's version ({@code pipe_communication.py}) passes the ends in {@code Process(args=...)}; here each
 * child's task is a lambda that captures its end, and the end travels to the child as a handle to the same
 * shared memory. Each line is printed with one {@code println}, so lines from the two children never mix.
 *
 * <p>How to run: {@code bin/tour pipe}, or after a build
 * {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp "examples/target/*:examples/target/lib/*"
 * org.multiproc4j.examples.multiprocessing.PipeCommunication}.
 */
public final class PipeCommunication {
    private PipeCommunication() {
    }

    static void cubeSender(int x, Connection conn) {
        System.out.println("Sending value...");
        try {
            conn.send(x * x * x);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not send", e);
        }
    }

    static void cubeReceiver(Connection conn) {
        System.out.println("Receiving value...");
        try {
            System.out.println(conn.recv());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not receive", e);
        }
    }

    /**
     * Starts the sender and the receiver, and waits for both.
     *
     * @param args ignored.
     * @throws InterruptedException if interrupted while joining.
     */
    public static void main(String[] args) throws InterruptedException {
        try (Pipe pipe = Pipe.open()) {
            Connection senderEnd = pipe.first();
            Connection receiverEnd = pipe.second();
            JvmProcess p1 = new JvmProcess(() -> cubeSender(5, senderEnd));
            JvmProcess p2 = new JvmProcess(() -> cubeReceiver(receiverEnd));
            p1.start();
            p2.start();
            p1.join();
            p2.join();
        }
    }
}
