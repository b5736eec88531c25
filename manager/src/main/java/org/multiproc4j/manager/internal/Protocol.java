package org.multiproc4j.manager.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;

import org.multiproc4j.core.RemoteException;

/**
 * The manager's request/response protocol. Every message is an {@code Object[]} tuple, so that calls whose
 * arguments and results are scalars, strings and primitive arrays take the codecs' fast path:
 * <pre class="text">{@code
 * hello     client -> server   {"pipe", Connection}  or  {"socket"}         (first message on a new socket)
 *           server -> client   "ok"
 * define    client -> server   String methodKey                              (no answer)
 * request   client -> server   {Long objectId, Integer methodIndex, Object[] args}
 *                              {Long objectId, String methodKey, Object[] args}
 *                              byte[] compact request                        (see CompactFrames)
 * response  server -> client   {OK, value}
 *                              {PROXY, Long objectId, String interfaceName}
 *                              {ERROR, String className, String message, RemoteException}
 *                              byte[] compact value response                 (only to a compact request)
 * }</pre>
 * A client sends each method key once per connection, as a {@code define} message, and then names it by its
 * index, counted from 0 in the order of the definitions on that connection (at most {@link #MAX_KEYS}; a client
 * that has defined that many sends further keys whole): a call then carries a small integer instead of a
 * signature of some forty characters, which both sides would otherwise write, scan and hash on every call.
 * A call by index whose arguments are all simple (null, Integer, Long, String, Boolean, Double) travels as a
 * {@link CompactFrames compact request} of raw bytes, and a simple value result of it as a compact response;
 * errors, proxies and other values answer it as tuples.
 * Object id {@link #MANAGER} is the manager itself ({@link #CREATE}, {@link #REGISTER}, {@link #SHUTDOWN},
 * {@link #PING}, {@link #DRAIN}).
 */
public final class Protocol {
    /** The object id of the manager itself. */
    public static final long MANAGER = 0L;
    /** Response status: a value follows. */
    public static final int OK = 0;
    /**
     * {@link #OK} boxed: {@code Integer.valueOf(0)}, the one instance every boxing of 0 yields, so a caller may
     * compare a response's status to it by identity (and fall back to {@code intValue()} when it differs).
     */
    public static final Integer OK_STATUS = OK;
    /** Response status: a proxy's object id and interface follow. */
    public static final int PROXY = 1;
    /** Response status: an exception's class, message and remote description follow. */
    public static final int ERROR = 2;

    /** Manager request: {@code create(typeid, args)}. */
    public static final String CREATE = "#create";
    /** Manager request: {@code register(typeid, interfaceName, factory)}. */
    public static final String REGISTER = "#register";
    /** Manager request: stop serving. */
    public static final String SHUTDOWN = "#shutdown";
    /** Manager request: answer at once. */
    public static final String PING = "#ping";
    /** Manager request: {@code drain(objectId, maxElements)} of a queue, returning the elements. */
    public static final String DRAIN = "#drain";
    /** Manager request: {@code release(objectId)} forgets an object. */
    public static final String RELEASE = "#release";

    /** The most method keys one connection defines (a server ends a session that defines more). */
    public static final int MAX_KEYS = 4096;

    /** Hello: the client hands over a pipe end. */
    public static final String HELLO_PIPE = "pipe";
    /** Hello: the client stays on the socket. */
    public static final String HELLO_SOCKET = "socket";

    private static final ConcurrentHashMap<Method, String> KEYS = new ConcurrentHashMap<>();

    private Protocol() {
    }

    /**
     * The key a method travels as: its name and parameter types, independent of the interface declaring it.
     *
     * @param m the method.
     * @return e.g. {@code "merge(java.lang.Object,java.lang.Object,java.util.function.BiFunction)"}.
     */
    public static String key(Method m) {
        String k = KEYS.get(m);
        if (k == null) {
            StringBuilder b = new StringBuilder(m.getName()).append('(');
            Class<?>[] types = m.getParameterTypes();
            for (int i = 0; i < types.length; i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.append(types[i].getName());
            }
            k = b.append(')').toString();
            KEYS.put(m, k);
        }
        return k;
    }

    /**
     * Builds an error response.
     *
     * @param t what the server's object threw.
     * @return the response tuple.
     */
    public static Object[] error(Throwable t) {
        return new Object[] {ERROR, t.getClass().getName(), t.getMessage(), RemoteException.describe(t)};
    }

    /**
     * Rebuilds, in the client, the exception an error response describes: the same class when it can be made
     * here and the caller's method may throw it (an unchecked one, or one it declares), with the server's
     * failure as its cause; otherwise the {@link RemoteException} itself.
     *
     * @param response the error response.
     * @param method   the method the caller called, or {@code null}.
     * @return the exception to throw.
     */
    public static Throwable rebuild(Object[] response, Method method) {
        String className = (String) response[1];
        String message = (String) response[2];
        RemoteException remote = (RemoteException) response[3];
        try {
            Class<?> c = Class.forName(className, false, Protocol.class.getClassLoader());
            boolean allowed = RuntimeException.class.isAssignableFrom(c) || Error.class.isAssignableFrom(c);
            if (!allowed && method != null) {
                for (Class<?> declared : method.getExceptionTypes()) {
                    allowed |= declared.isAssignableFrom(c);
                }
            }
            if (allowed && Throwable.class.isAssignableFrom(c)) {
                Constructor<?> ctor = c.getConstructor(String.class);
                Throwable t = (Throwable) ctor.newInstance(message);
                t.initCause(remote);
                return t;
            }
        } catch (ReflectiveOperationException | LinkageError | IllegalStateException | SecurityException e) {
            // not rebuildable here: the remote description is all the caller gets
        }
        return remote;
    }
}
