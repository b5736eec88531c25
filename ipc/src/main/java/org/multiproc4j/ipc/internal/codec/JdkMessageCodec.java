package org.multiproc4j.ipc.internal.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

import org.multiproc4j.core.SerializationException;

/**
 * The JDK's serialization, with an {@link ObjectInputFilter} on every decode. The filter is the one given,
 * else the JVM-wide one ({@code jdk.serialFilter}), else {@link #LIMITS}: no class is refused, but graphs
 * deeper than 100 or with more than ten million references are.
 */
public final class JdkMessageCodec implements MessageCodec {
    /** This codec's id in encoded forms. */
    public static final byte ID = 1;

    /** The filter used when neither the caller nor the JVM names one. */
    public static final ObjectInputFilter LIMITS = ObjectInputFilter.Config.createFilter("maxdepth=100;maxrefs=10000000");

    private static final JdkMessageCodec DEFAULT = new JdkMessageCodec(null);

    private final ObjectInputFilter filter;

    private JdkMessageCodec(ObjectInputFilter filter) {
        this.filter = filter;
    }

    /**
     * Returns a codec that checks decoded classes with {@code filter}.
     *
     * @param filter the filter, or {@code null} for the JVM-wide filter or else {@link #LIMITS}.
     * @return the codec.
     */
    public static JdkMessageCodec withFilter(ObjectInputFilter filter) {
        return filter == null ? DEFAULT : new JdkMessageCodec(filter);
    }

    @Override
    public byte id() {
        return ID;
    }

    @Override
    public byte[] encode(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw new SerializationException("cannot send a " + typeOf(value) + ": " + e.getMessage()
                    + " is not serializable (it is the value itself or reachable from it); nothing was sent", e);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot send a " + typeOf(value) + ": " + e + "; nothing was sent", e);
        }
        return bytes.toByteArray();
    }

    @Override
    public Object decode(byte[] bytes, int offset, int length) {
        ObjectInputFilter configured = filter != null ? filter : ObjectInputFilter.Config.getSerialFilter();
        ObjectInputFilter base = configured != null ? configured : LIMITS;
        String[] refused = new String[1];
        try (ObjectInputStream in = new LoaderAwareInputStream(new ByteArrayInputStream(bytes, offset, length))) {
            in.setObjectInputFilter(info -> {
                ObjectInputFilter.Status status = base.checkInput(info);
                if (status == ObjectInputFilter.Status.REJECTED && refused[0] == null) {
                    refused[0] = describe(info);
                }
                return status;
            });
            return in.readObject();
        } catch (InvalidClassException e) {
            String what = refused[0] != null ? refused[0] : "class " + e.classname;
            throw new SerializationException("cannot read a received message of " + length + " bytes: "
                    + what + " refused by the ObjectInputFilter " + base, e);
        } catch (ClassNotFoundException e) {
            throw new SerializationException("cannot read a received message of " + length + " bytes: class "
                    + e.getMessage() + " is not on this JVM's classpath", e);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot read a received message of " + length + " bytes: " + e, e);
        }
    }

    private static String describe(ObjectInputFilter.FilterInfo info) {
        if (info.serialClass() != null) {
            return "class " + info.serialClass().getName();
        }
        return "a graph of depth " + info.depth() + " with " + info.references() + " references";
    }

    private static String typeOf(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    /** Resolves classes with the thread's context class loader first, as application frameworks expect. */
    private static final class LoaderAwareInputStream extends ObjectInputStream {
        LoaderAwareInputStream(ByteArrayInputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            ClassLoader tccl = Thread.currentThread().getContextClassLoader();
            if (tccl != null) {
                try {
                    return Class.forName(desc.getName(), false, tccl);
                } catch (ClassNotFoundException e) {
                    // fall back to the default resolution below
                }
            }
            return super.resolveClass(desc);
        }
    }
}
