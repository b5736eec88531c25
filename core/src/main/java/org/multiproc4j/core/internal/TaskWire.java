package org.multiproc4j.core.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

import org.multiproc4j.core.SerializableCallable;
import org.multiproc4j.core.SerializableRunnable;

/**
 * The bytes a task and its outcome travel as between parent and child.
 *
 * <p>Two forms. The <em>direct</em> form serves the common case, a lambda (or a static method reference)
 * whose captured arguments are all plain values (boxed primitives, strings, primitive arrays): it names the
 * lambda's implementation method and carries the arguments, and the child calls that method by reflection.
 * It costs a child almost nothing, where decoding with {@link java.io.ObjectInputStream} costs it about 15 ms
 * the first time (the serial filter reads the security properties, a platform logger starts, serialization
 * constructors are generated). Everything else takes the <em>serialized</em> form: Java serialization
 * through {@link TaskCodec}, with {@link org.multiproc4j.core.Shareable}s replaced by their handles.
 *
 * <pre>
 *  task     := 'D' direct | 'S' int:length bytes:serialized
 *  direct   := utf:implClass utf:implMethod utf:descriptor byte:('R' runnable | 'C' callable) int:n value{n}
 *  outcome  := 'V' value            a task that returned a plain value (or null)
 *            | 'S' bytes:serialized an {@link Outcome} in Java serialization
 *  value    := 'N' | 'Z' bool | 'B' byte | 'S' short | 'C' char | 'I' int | 'J' long | 'F' float | 'D' double
 *            | 'T' int:length utf8 | 'b' int:n bytes | 'i' int:n ints | 'j' int:n longs | 'd' int:n doubles
 * </pre>
 */
public final class TaskWire {
    private static final byte DIRECT = 'D';
    private static final byte SERIALIZED = 'S';
    private static final byte VALUE = 'V';

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
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(DIRECT);
            out.writeUTF(TaskWire.class.getName());
            out.writeUTF("trainingNoOp");
            out.writeUTF("(I)V");
            out.writeByte('R');
            out.writeInt(1);
            writeValue(out, 0);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unused") // called by reflection in a training JVM
    private static void trainingNoOp(int unused) {
        // nothing: the point is the path to here
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
        byte kind;
        String iface = lambda.getFunctionalInterfaceClass();
        if (iface.equals(SerializableRunnable.class.getName().replace('.', '/'))) {
            kind = 'R';
        } else if (iface.equals(SerializableCallable.class.getName().replace('.', '/'))) {
            kind = 'C';
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
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(DIRECT);
            out.writeUTF(impl.getName());
            out.writeUTF(lambda.getImplMethodName());
            out.writeUTF(lambda.getImplMethodSignature());
            out.writeByte(kind);
            out.writeInt(lambda.getCapturedArgCount());
            for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
                if (!writeValue(out, lambda.getCapturedArg(i))) {
                    return null;
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (ClassNotFoundException | IOException | RuntimeException e) {
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
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes, 1, bytes.length - 1));
        String className = in.readUTF();
        String methodName = in.readUTF();
        String descriptor = in.readUTF();
        byte kind = in.readByte();
        Object[] args = new Object[in.readInt()];
        for (int i = 0; i < args.length; i++) {
            args[i] = readValue(in);
        }
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
        return new DirectTask(method, args, kind == 'C');
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
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(16);
                DataOutputStream out = new DataOutputStream(bytes);
                out.writeByte(VALUE);
                if (writeValue(out, outcome.value())) {
                    out.flush();
                    return bytes.toByteArray();
                }
            } catch (IOException e) {
                // fall through to serialization
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
     */
    public static Outcome decodeOutcome(byte[] bytes, ClassLoader loader) throws IOException, ClassNotFoundException {
        if (bytes.length > 0 && bytes[0] == VALUE) {
            return Outcome.returned(readValue(new DataInputStream(new java.io.ByteArrayInputStream(bytes, 1, bytes.length - 1))));
        }
        if (bytes.length == 0 || bytes[0] != SERIALIZED) {
            throw new InvalidObjectException("unknown outcome form");
        }
        byte[] serialized = new byte[bytes.length - 1];
        System.arraycopy(bytes, 1, serialized, 0, serialized.length);
        return (Outcome) TaskCodec.decode(serialized, loader, null);
    }

    // ------------------------------------------------------------------------------------------ values

    private static boolean writeValue(DataOutputStream out, Object v) throws IOException {
        if (v == null) {
            out.writeByte('N');
        } else if (v instanceof Integer) {
            out.writeByte('I');
            out.writeInt((Integer) v);
        } else if (v instanceof Long) {
            out.writeByte('J');
            out.writeLong((Long) v);
        } else if (v instanceof Double) {
            out.writeByte('D');
            out.writeDouble((Double) v);
        } else if (v instanceof String) {
            byte[] utf8 = ((String) v).getBytes(StandardCharsets.UTF_8);
            out.writeByte('T');
            out.writeInt(utf8.length);
            out.write(utf8);
        } else if (v instanceof Boolean) {
            out.writeByte('Z');
            out.writeBoolean((Boolean) v);
        } else if (v instanceof Byte) {
            out.writeByte('B');
            out.writeByte((Byte) v);
        } else if (v instanceof Short) {
            out.writeByte('S');
            out.writeShort((Short) v);
        } else if (v instanceof Character) {
            out.writeByte('C');
            out.writeChar((Character) v);
        } else if (v instanceof Float) {
            out.writeByte('F');
            out.writeFloat((Float) v);
        } else if (v instanceof byte[]) {
            byte[] a = (byte[]) v;
            out.writeByte('b');
            out.writeInt(a.length);
            out.write(a);
        } else if (v instanceof int[]) {
            int[] a = (int[]) v;
            out.writeByte('i');
            out.writeInt(a.length);
            for (int x : a) {
                out.writeInt(x);
            }
        } else if (v instanceof long[]) {
            long[] a = (long[]) v;
            out.writeByte('j');
            out.writeInt(a.length);
            for (long x : a) {
                out.writeLong(x);
            }
        } else if (v instanceof double[]) {
            double[] a = (double[]) v;
            out.writeByte('d');
            out.writeInt(a.length);
            for (double x : a) {
                out.writeDouble(x);
            }
        } else {
            return false;
        }
        return true;
    }

    private static Object readValue(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case 'N':
                return null;
            case 'I':
                return in.readInt();
            case 'J':
                return in.readLong();
            case 'D':
                return in.readDouble();
            case 'T': {
                byte[] utf8 = new byte[checkedLength(in.readInt(), in)];
                in.readFully(utf8);
                return new String(utf8, StandardCharsets.UTF_8);
            }
            case 'Z':
                return in.readBoolean();
            case 'B':
                return in.readByte();
            case 'S':
                return in.readShort();
            case 'C':
                return in.readChar();
            case 'F':
                return in.readFloat();
            case 'b': {
                byte[] a = new byte[checkedLength(in.readInt(), in)];
                in.readFully(a);
                return a;
            }
            case 'i': {
                int[] a = new int[lengthOf(in, 4)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.readInt();
                }
                return a;
            }
            case 'j': {
                long[] a = new long[lengthOf(in, 8)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.readLong();
                }
                return a;
            }
            case 'd': {
                double[] a = new double[lengthOf(in, 8)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.readDouble();
                }
                return a;
            }
            default:
                throw new InvalidObjectException("unknown value tag " + tag);
        }
    }

    private static int checkedLength(int n, DataInputStream in) throws IOException {
        if (n < 0 || n > in.available()) {
            throw new InvalidObjectException("corrupt length " + n + " with " + in.available() + " bytes left");
        }
        return n;
    }

    private static int lengthOf(DataInputStream in, int elementSize) throws IOException {
        return checkedElements(in.readInt(), elementSize, in);
    }

    private static int checkedElements(int n, int elementSize, DataInputStream in) throws IOException {
        if (n < 0 || (long) n * elementSize > in.available()) {
            throw new InvalidObjectException("corrupt length " + n + " with " + in.available() + " bytes left");
        }
        return n;
    }
}
