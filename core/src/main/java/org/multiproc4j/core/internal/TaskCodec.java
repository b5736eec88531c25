package org.multiproc4j.core.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.util.ArrayList;
import java.util.List;

import org.multiproc4j.core.Handle;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.Shareable;

/**
 * Java serialization of tasks and their results, with {@link Shareable} objects replaced by their
 * {@link Handle}s on the way out and re-attached on the way in.
 *
 * <p>Tasks use the JDK's serialization rather than the fast codec on purpose: lambdas need it, and it
 * costs a child nothing to start (the fast codec's first use costs hundreds of milliseconds).
 */
public final class TaskCodec {

    private TaskCodec() {
    }

    /**
     * Serializes {@code value}, replacing every {@link Shareable} by its handle.
     *
     * @param value what to serialize.
     * @param what  what the value is, for the error message ("task", "result").
     * @return the bytes.
     * @throws SerializationException naming the offending type if something cannot be serialized.
     */
    public static byte[] encode(Object value, String what) {
        return encode(value, what, null);
    }

    /**
     * Serializes {@code value}, replacing every {@link Shareable} by its handle and collecting the objects
     * whose handles were written.
     *
     * @param value      what to serialize.
     * @param what       what the value is, for the error message ("task", "result").
     * @param shareables receives every {@link Shareable} replaced by its handle, also when this method throws;
     *                   may be {@code null}.
     * @return the bytes.
     * @throws SerializationException naming the offending type if something cannot be serialized.
     */
    public static byte[] encode(Object value, String what, List<Shareable> shareables) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        HandleReplacingOutputStream stream = null;
        try (HandleReplacingOutputStream out = new HandleReplacingOutputStream(bytes, shareables)) {
            stream = out;
            out.writeObject(value);
        } catch (NotSerializableException e) {
            SerializedLambda capturer = stream == null ? null : stream.capturerOfThis(e.getMessage());
            if (capturer != null) {
                String declaring = capturer.getCapturingClass().replace('/', '.');
                throw new SerializationException(what + " cannot be sent to another JVM: the lambda declared in "
                        + declaring + " captured 'this' (an instance of " + e.getMessage() + ", which is not "
                        + "serializable) because it uses a field or an instance method of " + declaring
                        + "; copy what it needs into a local variable first (var x = this.x;) and use that in the "
                        + "lambda, or make the method static", e);
            }
            throw new SerializationException(what + " cannot be sent to another JVM: " + describeType(e.getMessage())
                    + " is not serializable (it is the " + what + " itself, captured by it, or reachable from it)", e);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(what + " cannot be sent to another JVM: " + e, e);
        }
        return bytes.toByteArray();
    }

    /**
     * Tells whether a serialized lambda captured the instance it was declared in ({@code this}): its
     * implementation is an instance method (a lambda body that uses a field or an instance method, or a
     * method reference {@code this::m}) and its first captured argument is an instance of the declaring class.
     */
    static boolean capturesThis(SerializedLambda lambda) {
        int kind = lambda.getImplMethodKind();
        if (kind == MethodHandleInfo.REF_invokeStatic || kind == MethodHandleInfo.REF_newInvokeSpecial
                || lambda.getCapturedArgCount() == 0 || lambda.getCapturedArg(0) == null) {
            return false;
        }
        String declaring = lambda.getCapturingClass().replace('/', '.');
        for (Class<?> c = lambda.getCapturedArg(0).getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(declaring)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Deserializes a value written by {@link #encode}, attaching every handle it holds.
     *
     * @param bytes    the serialized form.
     * @param loader   the class loader to resolve classes with.
     * @param attached receives every attached object that is {@link AutoCloseable}, may be {@code null}.
     * @return the value.
     * @throws IOException            if the bytes are damaged or a handle fails to attach.
     * @throws ClassNotFoundException if a class is missing here.
     */
    public static Object decode(byte[] bytes, ClassLoader loader, List<AutoCloseable> attached)
            throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new HandleResolvingInputStream(new ByteArrayInputStream(bytes), loader, attached)) {
            return in.readObject();
        }
    }

    static String describeType(String className) {
        if (className != null && className.contains("$$Lambda")) {
            int cut = className.indexOf("$$Lambda");
            return "a lambda declared in " + className.substring(0, cut)
                    + " whose functional interface is not Serializable (" + className + ")";
        }
        return className;
    }

    /** An object stream that writes a {@link Shareable}'s handle instead of the object. */
    public static final class HandleReplacingOutputStream extends ObjectOutputStream {
        private final List<Shareable> shareables;
        /** The lambdas written so far that captured {@code this}, for the message if {@code this} fails. */
        private List<SerializedLambda> capturersOfThis;

        /**
         * Creates a stream over {@code out}.
         *
         * @param out where to write.
         * @throws IOException if the stream header cannot be written.
         */
        public HandleReplacingOutputStream(OutputStream out) throws IOException {
            this(out, null);
        }

        /**
         * Creates a stream over {@code out} that collects the objects it replaces by their handles.
         *
         * @param out        where to write.
         * @param shareables receives each replaced {@link Shareable} once; may be {@code null}.
         * @throws IOException if the stream header cannot be written.
         */
        public HandleReplacingOutputStream(OutputStream out, List<Shareable> shareables) throws IOException {
            super(out);
            this.shareables = shareables;
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object obj) {
            if (obj instanceof Shareable) {
                Handle h = ((Shareable) obj).handle();
                if (shareables != null) {
                    shareables.add((Shareable) obj);
                }
                return h;
            }
            if (obj instanceof SerializedLambda && capturesThis((SerializedLambda) obj)) {
                if (capturersOfThis == null) {
                    capturersOfThis = new ArrayList<>(2);
                }
                capturersOfThis.add((SerializedLambda) obj);
            }
            return obj;
        }

        /** The lambda written so far whose captured {@code this} is of the named class, if any. */
        SerializedLambda capturerOfThis(String className) {
            if (capturersOfThis != null) {
                for (SerializedLambda l : capturersOfThis) {
                    if (l.getCapturedArg(0).getClass().getName().equals(className)) {
                        return l;
                    }
                }
            }
            return null;
        }
    }

    /** An object stream that attaches every {@link Handle} it reads. */
    public static final class HandleResolvingInputStream extends ObjectInputStream {
        private final ClassLoader loader;
        private final List<AutoCloseable> attached;

        /**
         * Creates a stream over {@code in}.
         *
         * @param in       where to read.
         * @param loader   the class loader for classes named in the stream.
         * @param attached receives attached {@link AutoCloseable}s, may be {@code null}.
         * @throws IOException if the stream header cannot be read.
         */
        public HandleResolvingInputStream(InputStream in, ClassLoader loader, List<AutoCloseable> attached)
                throws IOException {
            super(in);
            this.loader = loader;
            this.attached = attached == null ? new ArrayList<>() : attached;
            enableResolveObject(true);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    return super.resolveClass(desc);
                }
            }
            return super.resolveClass(desc);
        }

        @Override
        protected Object resolveObject(Object obj) throws IOException {
            if (obj instanceof Handle) {
                Object resource;
                try {
                    if (StartTrace.on()) {
                        StartTrace.mark("attaches " + obj);
                    }
                    resource = ((Handle) obj).attach();
                    if (StartTrace.on()) {
                        StartTrace.mark("attached " + obj);
                    }
                } catch (Exception e) {
                    throw new IOException("cannot attach " + obj + ": " + e, e);
                }
                if (resource instanceof AutoCloseable) {
                    attached.add((AutoCloseable) resource);
                }
                return resource;
            }
            return obj;
        }
    }
}
