package org.multiproc4j.core.internal;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.Callable;

import org.multiproc4j.core.SerializableCallable;
import org.multiproc4j.core.SerializableRunnable;

/**
 * The bytes a task and its outcome travel as between parent and child.
 *
 * <p>Two forms. The <em>direct</em> form serves the common case, a lambda (or a static method reference)
 * whose captured arguments are all plain values ({@link Wire}'s: boxed primitives, strings, primitive arrays
 * and tuples of these): it names the
 * lambda's implementation method and carries the arguments, and the child calls that method by reflection.
 * It costs a child almost nothing, where decoding with {@link java.io.ObjectInputStream} costs it about 15 ms
 * the first time (the serial filter reads the security properties, a platform logger starts, serialization
 * constructors are generated). Everything else takes the <em>serialized</em> form: Java serialization
 * through {@link TaskCodec}, with {@link org.multiproc4j.core.Shareable}s replaced by their handles.
 *
 * <pre>
 *  task    := 'D' direct | 'S' serialized      the serialized form: Java serialization, see {@link TaskCodec}
 *  direct  := a {@link Wire} tuple (String implClass, String implMethod, String descriptor, Boolean callable,
 *             Object[] capturedArguments)
 *  outcome := a {@link Wire} plain value        a task that returned a plain value (or null)
 *           | 'S' serialized                   an {@link Outcome} in Java serialization
 * </pre>
 *
 * <p>Plain values (what {@link Wire} encodes: boxed primitives, strings, primitive arrays, tuples of these) are
 * the ones a direct task may capture and a plain outcome may return; 'D' and 'S' are not {@link Wire} tags.
 */
public final class TaskWire {
    private static final byte DIRECT = 'D';
    private static final byte SERIALIZED = 'S';
    /** Elements of a direct task's tuple. */
    private static final int DIRECT_FIELDS = 5;

    private TaskWire() {
    }

    // ------------------------------------------------------------------------------------------ tasks

    /**
     * Encodes a task, in the direct form where it can.
     *
     * @param task a {@link SerializableRunnable} or {@link SerializableCallable}.
     * @return the bytes to send.
     * @throws org.multiproc4j.core.SerializationException if the task cannot be serialized.
     */
    public static byte[] encodeTask(Object task) {
        return encodeTask(task, null);
    }

    /**
     * Encodes a task, in the direct form where it can, collecting the shared objects it captured.
     *
     * @param task       a {@link SerializableRunnable} or {@link SerializableCallable}.
     * @param shareables receives every {@link org.multiproc4j.core.Shareable} written as a handle, also when
     *                   this method throws; may be {@code null}.
     * @return the bytes to send.
     * @throws org.multiproc4j.core.SerializationException if the task cannot be serialized.
     */
    public static byte[] encodeTask(Object task, List<org.multiproc4j.core.Shareable> shareables) {
        byte[] direct = tryDirect(task);
        if (direct != null) {
            return direct;
        }
        byte[] serialized = TaskCodec.encode(task, "task", shareables);
        byte[] out = new byte[serialized.length + 1];
        out[0] = SERIALIZED;
        System.arraycopy(serialized, 0, out, 1, serialized.length);
        return out;
    }

    /**
     * Encodes the no-op task a class-data training JVM runs: it takes the same path through
     * {@link ChildMain} as a user's lambda.
     *
     * @return the bytes to send.
     */
    static byte[] trainingTask() {
        return direct(TaskWire.class.getName(), "trainingNoOp", "(I)V", false, new Object[] {0});
    }

    /** Encodes a direct task, or returns {@code null} if an argument is not a plain value. */
    private static byte[] direct(String implClass, String implMethod, String descriptor, boolean callable,
            Object[] args) {
        Object[] fields = {implClass, implMethod, descriptor, callable, args};
        int n = Wire.encodedLength(fields);
        if (n < 0) {
            return null;
        }
        byte[] out = new byte[1 + n];
        out[0] = DIRECT;
        Wire.write(fields, out, 1);
        return out;
    }

    @SuppressWarnings("unused") // called by reflection in a training JVM
    private static void trainingNoOp(int unused) {
        // the point is the path to here; in a training JVM, the modules' warm-ups too, so that their classes are archived
        ChildMain.warmUpModules();
    }

    private static byte[] tryDirect(Object task) {
        Class<?> type = task.getClass();
        if (!type.isSynthetic()) {
            return null;
        }
        SerializedLambda lambda;
        try {
            Method writeReplace = type.getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            Object replaced = writeReplace.invoke(task);
            if (!(replaced instanceof SerializedLambda)) {
                return null;
            }
            lambda = (SerializedLambda) replaced;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // not a serializable lambda we can look into: use Java serialization
        }
        boolean callable;
        String iface = lambda.getFunctionalInterfaceClass();
        if (iface.equals(SerializableRunnable.class.getName().replace('.', '/'))) {
            callable = false;
        } else if (iface.equals(SerializableCallable.class.getName().replace('.', '/'))) {
            callable = true;
        } else {
            return null;
        }
        if (lambda.getImplMethodKind() != MethodHandleInfo.REF_invokeStatic) {
            return null; // captures 'this' or calls a constructor/instance method
        }
        try {
            ClassLoader loader = type.getClassLoader();
            Class<?> impl = Class.forName(lambda.getImplClass().replace('/', '.'), false, loader);
            if (impl.getModule().isNamed() || loader != ClassLoader.getSystemClassLoader()) {
                return null; // the child may not reach it by reflection, or not find it by name
            }
            Object[] args = new Object[lambda.getCapturedArgCount()];
            for (int i = 0; i < args.length; i++) {
                args[i] = lambda.getCapturedArg(i);
            }
            return direct(impl.getName(), lambda.getImplMethodName(), lambda.getImplMethodSignature(), callable, args);
        } catch (ClassNotFoundException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Decodes a task into something the child can run.
     *
     * @param bytes    what the parent sent.
     * @param loader   the class loader for the task's classes.
     * @param attached receives the {@link AutoCloseable}s attached from handles.
     * @return a {@link SerializableRunnable} or a {@link Callable} (a direct task of either kind is a
     *         {@code Callable}, returning {@code null} for a runnable).
     * @throws Exception if the task cannot be decoded.
     */
    public static Object decodeTask(byte[] bytes, ClassLoader loader, List<AutoCloseable> attached) throws Exception {
        if (bytes.length == 0) {
            throw new InvalidObjectException("empty task");
        }
        if (bytes[0] == SERIALIZED) {
            byte[] serialized = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, serialized, 0, serialized.length);
            return TaskCodec.decode(serialized, loader, attached);
        }
        if (bytes[0] != DIRECT) {
            throw new InvalidObjectException("unknown task form " + bytes[0]);
        }
        Object fields = Wire.read(bytes, 1, bytes.length - 1);
        Object[] f = fields instanceof Object[] ? (Object[]) fields : new Object[0];
        if (f.length != DIRECT_FIELDS || !(f[0] instanceof String) || !(f[1] instanceof String)
                || !(f[2] instanceof String) || !(f[3] instanceof Boolean) || !(f[4] instanceof Object[])) {
            throw new InvalidObjectException("a direct task is a tuple (class, method, descriptor, callable, "
                    + "arguments), not " + describe(fields));
        }
        String className = (String) f[0];
        String methodName = (String) f[1];
        String descriptor = (String) f[2];
        boolean callable = (Boolean) f[3];
        Object[] args = (Object[]) f[4];
        Class<?> impl = Class.forName(className, false, loader);
        Method method = null;
        for (Method m : impl.getDeclaredMethods()) {
            if (m.getName().equals(methodName) && descriptor.equals(descriptor(m))) {
                method = m;
                break;
            }
        }
        if (method == null) {
            throw new NoSuchMethodException(className + "." + methodName + descriptor
                    + " (is the child's classpath the parent's?)");
        }
        method.setAccessible(true);
        return new DirectTask(method, args, callable);
    }

    /** A lambda run by calling its implementation method. */
    private static final class DirectTask implements Callable<Object> {
        private final Method method;
        private final Object[] args;
        private final boolean callable;

        DirectTask(Method method, Object[] args, boolean callable) {
            this.method = method;
            this.args = args;
            this.callable = callable;
        }

        @Override
        public Object call() throws Exception {
            try {
                return method.invoke(null, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception) {
                    throw (Exception) cause;
                }
                if (cause instanceof Error) {
                    throw (Error) cause;
                }
                throw e;
            }
        }

        boolean isCallable() {
            return callable;
        }
    }

    /**
     * Tells whether a decoded task computes a value.
     *
     * @param task a task from {@link #decodeTask}.
     * @return {@code true} for a callable.
     */
    public static boolean isCallable(Object task) {
        if (task instanceof DirectTask) {
            return ((DirectTask) task).isCallable();
        }
        return task instanceof Callable;
    }

    private static String descriptor(Method m) {
        StringBuilder b = new StringBuilder("(");
        for (Class<?> p : m.getParameterTypes()) {
            descriptor(b, p);
        }
        descriptor(b.append(')'), m.getReturnType());
        return b.toString();
    }

    private static void descriptor(StringBuilder b, Class<?> c) {
        if (c.isArray()) {
            b.append(c.getName().replace('.', '/'));
        } else if (c.isPrimitive()) {
            b.append(c == int.class ? 'I' : c == long.class ? 'J' : c == boolean.class ? 'Z' : c == byte.class ? 'B'
                    : c == short.class ? 'S' : c == char.class ? 'C' : c == float.class ? 'F' : c == double.class ? 'D' : 'V');
        } else {
            b.append('L').append(c.getName().replace('.', '/')).append(';');
        }
    }

    // ---------------------------------------------------------------------------------------- outcomes

    /**
     * Encodes an outcome, as plain bytes when its value is a plain value.
     *
     * @param outcome the outcome.
     * @return the bytes.
     * @throws org.multiproc4j.core.SerializationException if the result cannot be serialized.
     */
    public static byte[] encodeOutcome(Outcome outcome) {
        if (outcome.failure() == null) {
            int n = Wire.encodedLength(outcome.value());
            if (n >= 0) {
                byte[] out = new byte[n];
                Wire.write(outcome.value(), out, 0);
                return out;
            }
        }
        byte[] serialized = TaskCodec.encode(outcome, "result");
        byte[] out = new byte[serialized.length + 1];
        out[0] = SERIALIZED;
        System.arraycopy(serialized, 0, out, 1, serialized.length);
        return out;
    }

    /**
     * Decodes an outcome.
     *
     * @param bytes  the bytes the child wrote.
     * @param loader the class loader for the result's classes.
     * @return the outcome.
     * @throws IOException            if the bytes are damaged.
     * @throws ClassNotFoundException if the result's class is missing here.
     * @throws org.multiproc4j.core.SerializationException if a plain value's bytes are damaged.
     */
    public static Outcome decodeOutcome(byte[] bytes, ClassLoader loader) throws IOException, ClassNotFoundException {
        if (bytes.length > 0 && Wire.isPlain(bytes[0])) {
            return Outcome.returned(Wire.read(bytes, 0, bytes.length));
        }
        if (bytes.length == 0 || bytes[0] != SERIALIZED) {
            throw new InvalidObjectException("an outcome starts with a plain value's tag or 'S', not "
                    + (bytes.length == 0 ? "nothing (empty file)" : "byte " + (bytes[0] & 0xff)));
        }
        byte[] serialized = new byte[bytes.length - 1];
        System.arraycopy(bytes, 1, serialized, 0, serialized.length);
        return (Outcome) TaskCodec.decode(serialized, loader, null);
    }

    private static String describe(Object value) {
        if (value instanceof Object[]) {
            return "a tuple of " + ((Object[]) value).length + " elements";
        }
        return value == null ? "null" : "a value of type " + value.getClass().getSimpleName();
    }
}
