package org.multiproc4j.core;

import java.util.Objects;

/**
 * A failure that happened in another process: the task threw there, and this exception carries what the
 * child saw, as text, so the exception's class need not exist in this JVM (CPython's
 * {@code RemoteTraceback}).
 *
 * <p>Its {@linkplain #getStackTrace() stack trace} is the child's, its {@linkplain #getMessage() message}
 * reads like the child's {@code toString()} ({@code "java.lang.IllegalStateException: boom"}), and a
 * cause in the child becomes a {@code RemoteException} cause here. {@link #remoteStackTrace()} holds
 * the child's full printed trace.
 *
 * <pre>{@code
 * try {
 *     JvmProcess.call(() -> { throw new IllegalStateException("boom"); }).get();
 * } catch (ExecutionException e) {
 *     RemoteException remote = (RemoteException) e.getCause();
 *     remote.remoteClassName();   // "java.lang.IllegalStateException"
 *     remote.remoteMessage();     // "boom"
 * }
 * }</pre>
 *
 * <p><b>Thread safety.</b> Instances are immutable once built.
 */
public final class RemoteException extends ProcessException {
    private static final long serialVersionUID = 1L;

    /** The binary name of the exception's class in the child. */
    private final String remoteClassName;
    /** The exception's message in the child, or {@code null}. */
    private final String remoteMessage;
    /** The stack trace as the child printed it. */
    private final String remoteStackTrace;

    /**
     * Creates an exception describing a remote failure.
     *
     * @param remoteClassName  the binary name of the exception's class in the child.
     * @param remoteMessage    the exception's message in the child, may be {@code null}.
     * @param remoteStackTrace the child's printed stack trace, including causes.
     * @param frames           the child's stack frames, used as this exception's stack trace.
     * @param cause            the remote cause, or {@code null}.
     */
    public RemoteException(String remoteClassName, String remoteMessage, String remoteStackTrace,
                           StackTraceElement[] frames, RemoteException cause) {
        super(remoteMessage == null ? remoteClassName : remoteClassName + ": " + remoteMessage, cause);
        this.remoteClassName = Objects.requireNonNull(remoteClassName, "remoteClassName");
        this.remoteMessage = remoteMessage;
        this.remoteStackTrace = remoteStackTrace == null ? "" : remoteStackTrace;
        if (frames != null) {
            setStackTrace(frames);
        }
    }

    /**
     * Builds the remote view of a local throwable, as a child does before sending it to its parent.
     *
     * @param t the failure to describe.
     * @return an exception carrying {@code t}'s class name, message, frames and causes as text.
     */
    public static RemoteException describe(Throwable t) {
        if (t instanceof RemoteException) {
            return (RemoteException) t;
        }
        java.io.StringWriter text = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(text, true));
        RemoteException cause = null;
        if (t.getCause() != null && t.getCause() != t) {
            cause = describe(t.getCause());
        }
        return new RemoteException(t.getClass().getName(), t.getMessage(), text.toString(),
                t.getStackTrace(), cause);
    }

    /**
     * Returns the binary class name of the exception thrown in the child.
     *
     * @return the remote class name, e.g. {@code "java.lang.IllegalStateException"}.
     */
    public String remoteClassName() {
        return remoteClassName;
    }

    /**
     * Returns the message of the exception thrown in the child.
     *
     * @return the remote message, or {@code null} if it had none.
     */
    public String remoteMessage() {
        return remoteMessage;
    }

    /**
     * Returns the stack trace as the child printed it, causes included.
     *
     * @return the child's stack trace text.
     */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }
}
