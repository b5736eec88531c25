package org.multiproc4j.manager.internal;

import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import org.multiproc4j.core.Handle;
import org.multiproc4j.core.Shareable;
import org.multiproc4j.manager.ManagerException;

/**
 * The behaviour of every proxy: each method of its interface is one request to the server, except those
 * that hand out iterators, streams or visit every element, which work on a snapshot taken in one request.
 */
public final class ProxyHandler implements InvocationHandler {
    /** {@link Protocol#OK} boxed once: value answers carry this very object (see {@link Protocol#OK_STATUS}). */
    private static final Integer OK = Protocol.OK_STATUS;
    private final Dispatcher dispatcher;
    private final long id;
    private final Class<?> type;

    private ProxyHandler(Dispatcher dispatcher, long id, Class<?> type) {
        this.dispatcher = dispatcher;
        this.id = id;
        this.type = type;
    }

    /**
     * Makes a proxy.
     *
     * @param <T>        the interface.
     * @param dispatcher where its calls go.
     * @param id         the object.
     * @param type       the interface.
     * @return the proxy.
     */
    public static <T> T proxy(Dispatcher dispatcher, long id, Class<T> type) {
        ClassLoader loader = type.getClassLoader();
        if (loader == null || !visible(loader)) {
            loader = ProxyHandler.class.getClassLoader();
        }
        Object p = Proxy.newProxyInstance(loader, new Class<?>[] {type, ManagedProxy.class},
                new ProxyHandler(dispatcher, id, type));
        return type.cast(p);
    }

    private static boolean visible(ClassLoader loader) {
        try {
            return Class.forName(ManagedProxy.class.getName(), false, loader) == ManagedProxy.class;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Loads a proxy's interface by name.
     *
     * @param name the name.
     * @return the interface.
     * @throws ClassNotFoundException if it is not on this JVM's class path.
     */
    public static Class<?> loadInterface(String name) throws ClassNotFoundException {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        try {
            return Class.forName(name, false, l != null ? l : ProxyHandler.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return Class.forName(name, false, ProxyHandler.class.getClassLoader());
        }
    }

    /**
     * Returns the object's id.
     *
     * @return the id.
     */
    public long id() {
        return id;
    }

    /**
     * Returns where the calls go.
     *
     * @return the dispatcher.
     */
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /**
     * Returns the proxy's interface.
     *
     * @return the interface.
     */
    public Class<?> type() {
        return type;
    }

    /**
     * Returns the handler of a proxy made here, or {@code null} if the object is not one.
     *
     * @param o any object.
     * @return its handler, or {@code null}.
     */
    public static ProxyHandler of(Object o) {
        return o instanceof ManagedProxy ? ((ManagedProxy) o).proxyHandler() : null;
    }

    /**
     * What a method of a proxy does, worked out once per method: its key, whether it is handled here (in
     * whole or in part), and which of its arguments are functions that must be serializable.
     */
    private record Plan(Method method, String key, int keyId, boolean special, int[] functions) {
        private static final Set<String> SPECIAL = Set.of("iterator", "listIterator", "spliterator", "stream",
                "parallelStream", "forEach", "toArray", "drainTo");

        static Plan of(Method m) {
            Class<?> d = m.getDeclaringClass();
            boolean special = d == ManagedProxy.class || d == Shareable.class || d == Object.class
                    || SPECIAL.contains(m.getName());
            Class<?>[] types = m.getParameterTypes();
            int[] functions = new int[types.length];
            int n = 0;
            for (int i = 0; i < types.length; i++) {
                if (types[i].isInterface() && types[i].isAnnotationPresent(FunctionalInterface.class)) {
                    functions[n++] = i;
                }
            }
            String key = Protocol.key(m);
            return new Plan(m, key, ClientEndpoint.keyId(key), special, Arrays.copyOf(functions, n));
        }
    }

    private static final Map<Method, Plan> PLANS = new java.util.concurrent.ConcurrentHashMap<>();

    /*
     * The plans of the two methods this proxy called last, found by identity: a proxy class passes the same Method
     * constants on every call, so a call in a loop costs two compares, not a hash lookup of a Method (whose
     * hashCode and equals walk its class, name and parameter types). Racy on purpose: a plan is immutable, and a
     * lost update only costs a lookup.
     */
    private Plan hot;
    private Plan warm;

    private Plan plan(Method method) {
        Plan p = hot;
        if (p != null && p.method == method) {
            return p;
        }
        p = warm;
        if (p == null || p.method != method) {
            p = PLANS.get(method);
            if (p == null) {
                p = Plan.of(method);
                PLANS.put(method, p);
            }
        }
        warm = hot;
        hot = p;
        return p;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Plan plan = plan(method);
        if (!plan.special) {
            int[] functions = plan.functions;
            for (int i = 0; i < functions.length; i++) {
                checkFunction(method, functions[i], args[functions[i]]);
            }
            Object[] response;
            try {
                response = dispatcher.call(id, plan.key, plan.keyId, args, method);
            } catch (InterruptedException e) {
                throw interrupted(e, method);
            }
            if (response[0] == OK) {                      // the boxed status of a value answer: no unboxing
                return response[1];
            }
            return result(response, method);
        }
        Class<?> declaring = method.getDeclaringClass();
        String name = method.getName();
        int n = args == null ? 0 : args.length;
        if (declaring == ManagedProxy.class) {
            return this;
        }
        if (declaring == Shareable.class) {
            if (name.equals("handle")) {
                return handle();
            }
            return null;                                    // handedOver: the server owns the object
        }
        if (declaring == Object.class) {
            switch (name) {
                case "equals":
                    return equalsProxy(proxy, args[0]);
                case "hashCode":
                    return snapshotSemantics() ? remote("hashCode()", null, method) : Long.hashCode(id) * 31
                            + dispatcher.address().hashCode();
                default:
                    return remote("toString()", null, method);
            }
        }
        switch (name) {
            case "iterator":
                if (n == 0) {
                    return snapshotIterator(snapshot());
                }
                break;
            case "listIterator":
                return Collections.unmodifiableList(snapshot()).listIterator(n == 0 ? 0 : (Integer) args[0]);
            case "spliterator":
                if (n == 0) {
                    return Collections.unmodifiableList(snapshot()).spliterator();
                }
                break;
            case "stream":
                if (n == 0) {
                    return Collections.unmodifiableList(snapshot()).stream();
                }
                break;
            case "parallelStream":
                if (n == 0) {
                    return Collections.unmodifiableList(snapshot()).parallelStream();
                }
                break;
            case "forEach":
                if (n == 1 && args[0] instanceof BiConsumer && proxy instanceof Map) {
                    @SuppressWarnings("unchecked")
                    BiConsumer<Object, Object> action = (BiConsumer<Object, Object>) args[0];
                    for (Object o : (Set<?>) remote("entrySet()", null, method)) {
                        Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
                        action.accept(e.getKey(), e.getValue());
                    }
                    return null;
                }
                if (n == 1 && args[0] instanceof Consumer && proxy instanceof Iterable) {
                    @SuppressWarnings("unchecked")
                    Consumer<Object> action = (Consumer<Object>) args[0];
                    snapshot().forEach(action);
                    return null;
                }
                break;
            case "toArray":
                if (n == 1 && args[0] instanceof IntFunction) {
                    List<Object> all = snapshot();
                    Object[] out = (Object[]) ((IntFunction<?>) args[0]).apply(all.size());
                    return all.toArray(out);
                }
                break;
            case "drainTo":
                if (proxy instanceof java.util.concurrent.BlockingQueue && n >= 1) {
                    @SuppressWarnings("unchecked")
                    Collection<Object> sink = (Collection<Object>) args[0];
                    if (sink == null) {
                        throw new NullPointerException("drainTo: the collection is null");
                    }
                    if (sink == proxy) {
                        throw new IllegalArgumentException("drainTo: cannot drain a queue into itself");
                    }
                    int max = n == 2 ? (Integer) args[1] : Integer.MAX_VALUE;
                    List<?> drained = (List<?>) remoteManager(org.multiproc4j.manager.internal.Protocol.DRAIN,
                            new Object[] {id, max}, method);
                    sink.addAll(drained);
                    return drained.size();
                }
                break;
            default:
                break;
        }
        for (int i : plan.functions) {
            checkFunction(method, i, args[i]);
        }
        return remote(plan.key, args, method);
    }

    private boolean snapshotSemantics() {
        return Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type);
    }

    private Object equalsProxy(Object proxy, Object other) throws Throwable {
        if (other == proxy) {
            return true;
        }
        ProxyHandler h = of(other);
        if (h != null && h.id == id && h.dispatcher.address().equals(dispatcher.address())) {
            return true;
        }
        if (!snapshotSemantics() || other == null) {
            return false;
        }
        return remote("equals(java.lang.Object)", new Object[] {other}, null);
    }

    private List<Object> snapshot() throws Throwable {
        Object values;
        if (Map.class.isAssignableFrom(type)) {
            values = remote("entrySet()", null, null);
            return new ArrayList<>((Collection<?>) values);
        }
        values = remote("toArray()", null, null);
        return Arrays.asList((Object[]) values);
    }

    private static Iterator<Object> snapshotIterator(List<Object> items) {
        Iterator<Object> it = items.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Object next() {
                return it.next();
            }

            @Override
            public void remove() {
                throw new UnsupportedOperationException("an iterator over a manager's object walks a snapshot and "
                        + "cannot remove: call remove(...) or removeIf(...) on the proxy");
            }
        };
    }

    private static void checkFunction(Method method, int i, Object a) {
        if (a != null && !(a instanceof Serializable) && !(a instanceof Shareable)) {
            throw new IllegalArgumentException(method.getName() + ": argument " + (i + 1) + " ("
                    + a.getClass().getName() + ") runs in the manager's server, so it must be serializable: "
                    + "pass a lambda where a Serializable functional type is expected (ManagedMap's "
                    + "overloads take one), or cast it, e.g. (BiFunction<A, B, C> & Serializable) (a, b) -> ...");
        }
    }

    private Handle handle() {
        return new ProxyHandle(dispatcher.address(), dispatcher.authkey(), dispatcher.sharedMemory(), id,
                type.getName());
    }

    private Object remote(String key, Object[] args, Method method) throws Throwable {
        return remoteCall(id, key, args, method);
    }

    private Object remoteManager(String key, Object[] args, Method method) throws Throwable {
        return remoteCall(Protocol.MANAGER, key, args, method);
    }

    private Object remoteCall(long target, String key, Object[] args, Method method) throws Throwable {
        Object[] response;
        try {
            response = dispatcher.call(target, key, args, method);
        } catch (InterruptedException e) {
            throw interrupted(e, method);
        }
        return result(response, method);
    }

    /** What an interrupted call throws: the interrupt itself if the method declares it, else ManagerException. */
    private Exception interrupted(InterruptedException e, Method method) {
        if (method != null) {
            for (Class<?> declared : method.getExceptionTypes()) {
                if (declared.isAssignableFrom(InterruptedException.class)) {
                    return e;
                }
            }
        }
        Thread.currentThread().interrupt();
        return new ManagerException("interrupted while waiting for the manager at " + dispatcher.address()
                + " (this thread's connection was closed, which ended the call in the server)", e);
    }

    /**
     * Turns a response into what the caller gets: a value, a proxy, or a thrown exception.
     *
     * @param dispatcher where further calls of a returned proxy go.
     * @param response   the response.
     * @param method     the method called, or {@code null}.
     * @return the value.
     * @throws Throwable what the server's object threw, rebuilt here.
     */
    public static Object result(Dispatcher dispatcher, Object[] response, Method method) throws Throwable {
        int status = ((Number) response[0]).intValue();
        if (status == Protocol.OK) {
            return response[1];
        }
        if (status == Protocol.PROXY) {
            Class<?> t;
            Class<?> expected = method == null ? null : method.getReturnType();
            try {
                t = expected != null && expected.getName().equals(response[2]) ? expected
                        : loadInterface((String) response[2]);
            } catch (ClassNotFoundException e) {
                throw new ManagerException("the manager returned a proxy of " + response[2]
                        + ", which is not on this JVM's class path", e);
            }
            return proxy(dispatcher, ((Number) response[1]).longValue(), t);
        }
        throw Protocol.rebuild(response, method);
    }

    /**
     * Turns a response into what the caller gets, a proxy of {@code expected} when the server names that
     * interface (so that an interface of a class loader the context loader cannot see still works).
     *
     * @param dispatcher where further calls of a returned proxy go.
     * @param response   the response.
     * @param expected   the interface the caller expects.
     * @return the value.
     * @throws Throwable what the server's object threw, rebuilt here.
     */
    public static Object result(Dispatcher dispatcher, Object[] response, Class<?> expected) throws Throwable {
        if (((Number) response[0]).intValue() == Protocol.PROXY && expected.getName().equals(response[2])) {
            return proxy(dispatcher, ((Number) response[1]).longValue(), expected);
        }
        return result(dispatcher, response, (Method) null);
    }

    private Object result(Object[] response, Method method) throws Throwable {
        return result(dispatcher, response, method);
    }

    @Override
    public String toString() {
        return "proxy of " + type.getName() + " #" + id + " at " + dispatcher.address();
    }
}
