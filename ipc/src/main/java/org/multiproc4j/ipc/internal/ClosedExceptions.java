package org.multiproc4j.ipc.internal;

import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;

/**
 * The exceptions of the {@code Connection} contract for an end closed in this process, with a message naming
 * the end (the JDK's have none).
 */
public final class ClosedExceptions {
    private ClosedExceptions() {
    }

    /**
     * Returns the exception of a call made on a closed end.
     *
     * @param what the end, as its messages name it.
     * @return a {@link ClosedChannelException} saying "{@code what} is closed".
     */
    public static ClosedChannelException closed(String what) {
        return new Closed(what + " is closed");
    }

    /**
     * Returns the exception of a call that was waiting when another thread closed the end.
     *
     * @param what the end, as its messages name it.
     * @return an {@link AsynchronousCloseException} saying so.
     */
    public static AsynchronousCloseException closedWhileWaiting(String what) {
        return new ClosedWhileWaiting(what + " is closed: another thread closed it while this one waited");
    }

    private static final class Closed extends ClosedChannelException {
        private static final long serialVersionUID = 1L;
        private final String message;

        Closed(String message) {
            this.message = message;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }

    private static final class ClosedWhileWaiting extends AsynchronousCloseException {
        private static final long serialVersionUID = 1L;
        private final String message;

        ClosedWhileWaiting(String message) {
            this.message = message;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }
}
