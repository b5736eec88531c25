package org.multiproc4j.core.codec;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.util.Objects;

import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.internal.TaskCodec;
import org.multiproc4j.core.internal.Wire;

/**
 * The JDK's own serialization as a {@link Codec}, reading through an {@link ObjectInputFilter}: it carries
 * anything {@link Serializable} (lambdas from serializable functional interfaces, exceptions, object graphs
 * with cycles and shared references, classes with {@code writeObject}/{@code readResolve}), at a cost of a
 * few microseconds and a few hundred bytes per message. It is the same serialization that multiproc4j's
 * task transport uses, {@link org.multiproc4j.core.Shareable}s included. Get one with {@link Codecs#jdk()},
 * {@link Codecs#jdk(ObjectInputFilter)} or {@link Codecs#jdk(String)}.
 *
 * <p><b>Filters.</b> Every class, array and object reference read is checked by the codec's filter (in
 * place of the JVM-wide {@code jdk.serialFilter}, which is consulted as well: a class either refuses is
 * refused). The {@linkplain #defaultFilter() default filter} is meant for messages between processes of the
 * same program, which trust each other as Python's {@code multiprocessing} trusts pickles: it limits the
 * depth of the object graph and refuses the packages that known deserialization exploits are built from
 * (see {@link #DEFAULT_FILTER_PATTERN}), and accepts the rest. Where the peer is less trusted (a manager
 * reached over the network), pass an allow-list instead, e.g.
 * {@code Codecs.jdk("com.example.msg.*;java.base/*;!*")}. Independently of the filter, the codec refuses an
 * array longer, or more object references, than the input's size could hold: a corrupt length fails instead
 * of allocating gigabytes.
 *
 * <p><b>Thread safety.</b> Thread-safe; each call uses its own streams.
 *
 * <p><b>Serializable.</b> A codec made by {@link Codecs#jdk()}, {@link Codecs#jdk(String)}, or with a filter
 * that is itself {@link Serializable}, can be serialized (to travel inside a pipe's handle); one with any
 * other filter cannot ({@link NotSerializableException}).
 *
 * <p><b>Failure.</b> As described in {@link Codec}; a refused class fails with a
 * {@link SerializationException} naming it.
 */
public final class JdkCodec extends AbstractCodec implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The pattern of the {@linkplain #defaultFilter() default filter}, in {@link ObjectInputFilter.Config#createFilter}
     * syntax: a depth limit and the packages of known deserialization gadgets refused.
     */
    public static final String DEFAULT_FILTER_PATTERN = "maxdepth=1000"
            + ";!java.rmi.**;!sun.rmi.**;!javax.management.**;!javax.naming.**;!com.sun.jndi.**;!java.beans.**"
            + ";!javax.script.**;!sun.reflect.**;!jdk.internal.**;!com.sun.org.apache.**;!com.sun.rowset.**"
            + ";!com.sun.corba.**;!org.apache.commons.collections.functors.*"
            + ";!org.apache.commons.collections4.functors.*;!org.apache.commons.beanutils.**;!org.apache.xalan.**"
            + ";!org.apache.commons.fileupload.**;!org.codehaus.groovy.runtime.*;!org.springframework.beans.factory.**"
            + ";!org.springframework.aop.**;!com.mchange.v2.c3p0.**;!bsh.**;!org.python.core.**"
            + ";!org.mozilla.javascript.**;!clojure.**";

    private static final ObjectInputFilter DEFAULT_FILTER =
            ObjectInputFilter.Config.createFilter(DEFAULT_FILTER_PATTERN);

    /** A multiple of the input's length that no array in a genuine stream reaches (see {@link DecodeFilter}). */
    private static final long ARRAY_ELEMENTS_PER_BYTE = 8;

    private final transient ObjectInputFilter filter;
    private final transient String pattern;
    private final transient boolean attachHandles;

    private JdkCodec(ObjectInputFilter filter, String pattern, boolean attachHandles) {
        this.filter = filter;
        this.pattern = pattern;
        this.attachHandles = attachHandles;
    }

    private JdkCodec(ObjectInputFilter filter, String pattern) {
        this(filter, pattern, true);
    }

    static JdkCodec withDefaultFilter() {
        return new JdkCodec(DEFAULT_FILTER, DEFAULT_FILTER_PATTERN);
    }

    /** The default filter, decoding a {@link org.multiproc4j.core.Handle} as itself rather than attaching it. */
    static JdkCodec forHandles() {
        return new JdkCodec(DEFAULT_FILTER, DEFAULT_FILTER_PATTERN, false);
    }

    static JdkCodec withFilter(ObjectInputFilter filter) {
        return new JdkCodec(Objects.requireNonNull(filter, "filter"), null);
    }

    static JdkCodec withPattern(String pattern) {
        ObjectInputFilter f = ObjectInputFilter.Config.createFilter(Objects.requireNonNull(pattern, "pattern"));
        if (f == null) {
            throw new IllegalArgumentException("the filter pattern is empty");
        }
        return new JdkCodec(f, pattern);
    }

    /**
     * Returns the filter {@link Codecs#jdk()} reads with, built from {@link #DEFAULT_FILTER_PATTERN}. Merge it
     * with your own to keep its refusals: {@code ObjectInputFilter.merge(mine, JdkCodec.defaultFilter())}.
     *
     * @return the default filter.
     */
    public static ObjectInputFilter defaultFilter() {
        return DEFAULT_FILTER;
    }

    /**
     * Returns the filter this codec reads with (besides the structural checks on lengths).
     *
     * @return the filter.
     */
    public ObjectInputFilter filter() {
        return filter;
    }

    @Override
    public String toString() {
        return "JdkCodec[" + (pattern != null ? pattern : filter) + "]";
    }

    @Override
    String kind() {
        return "the JDK codec";
    }

    @Override
    void encodeObject(Object value, CodecBuffer out) {
        byte[] a = out.reserve(1);
        a[out.length()] = Wire.JDK;
        out.length(out.length() + 1);
        try (ObjectOutputStream stream = new TaskCodec.HandleReplacingOutputStream(new BufferOutputStream(out))) {
            stream.writeObject(value);
        } catch (NotSerializableException e) {
            throw new SerializationException("the JDK codec cannot encode a " + value.getClass().getName() + ": "
                    + describe(e.getMessage()) + " is not Serializable (it is the value, or reachable from it)", e);
        } catch (StackOverflowError e) {
            throw new SerializationException("the JDK codec cannot encode a " + value.getClass().getName()
                    + ": its object graph is too deep for the stack", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException) {
                throw (SerializationException) e;
            }
            throw new SerializationException("the JDK codec cannot encode a " + value.getClass().getName() + ": "
                    + e, e);
        }
    }

    @Override
    Object decodeObject(byte tag, byte[] bytes, int offset, int length) {
        if (tag != Wire.JDK) {
            throw foreignTag(tag);
        }
        DecodeFilter guard = new DecodeFilter(filter, length);
        ByteArrayInputStream source = new ByteArrayInputStream(bytes, offset + 1, length - 1);
        try (ObjectInputStream in = attachHandles ? new TaskCodec.HandleResolvingInputStream(source, null, null)
                : new ObjectInputStream(source)) {
            in.setObjectInputFilter(guard);
            return in.readObject();
        } catch (InvalidClassException e) {
            if (guard.refusal != null) {
                throw new SerializationException("the JDK codec refused to decode " + guard.refusal, e);
            }
            throw new SerializationException("the JDK codec cannot decode class " + e.classname + ": "
                    + e.getMessage(), e);
        } catch (ClassNotFoundException e) {
            throw new SerializationException("the JDK codec cannot decode class " + e.getMessage()
                    + ": it is not on this JVM's class path", e);
        } catch (EOFException | StreamCorruptedException | InvalidObjectException e) {
            throw new SerializationException("cannot decode: truncated or corrupt input (" + length
                    + " bytes for the JDK codec): " + e, e);
        } catch (StackOverflowError e) {
            throw new SerializationException("cannot decode: the object graph is too deep for the stack", e);
        } catch (InternalError e) {
            // the JDK's immutable collections report corrupt serial forms this way ("length is odd")
            throw new SerializationException("cannot decode: corrupt input (" + e + ")", e);
        } catch (ObjectStreamException e) {
            throw new SerializationException("cannot decode: " + e, e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException) {
                throw (SerializationException) e;
            }
            throw new SerializationException("the JDK codec cannot decode: " + e, e);
        }
    }

    private static String describe(String className) {
        if (className != null && className.contains("$$Lambda")) {
            return "a lambda declared in " + className.substring(0, className.indexOf("$$Lambda"))
                    + " whose functional interface";
        }
        return className;
    }

    /**
     * Replaces this codec by its serialized form: its filter pattern, or its filter if that is serializable.
     *
     * @return the serialized form.
     * @throws ObjectStreamException if the filter is neither a pattern nor serializable.
     */
    private Object writeReplace() throws ObjectStreamException {
        if (pattern == null && !(filter instanceof Serializable)) {
            throw new NotSerializableException("a JdkCodec whose filter (" + filter.getClass().getName()
                    + ") is not Serializable cannot be serialized; build it from a pattern with Codecs.jdk(String)");
        }
        return new SerializedForm(pattern, pattern == null ? filter : null);
    }

    /**
     * Refuses a stream that holds a codec other than through its serialized form.
     *
     * @param in the stream.
     * @throws InvalidObjectException always.
     */
    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a JdkCodec is read through its serialized form");
    }

    /** What a {@link JdkCodec} travels as: its pattern, or its serializable filter. */
    private static final class SerializedForm implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String pattern;
        private final Serializable filter;

        SerializedForm(String pattern, Object filter) {
            this.pattern = pattern;
            this.filter = (Serializable) filter;
        }

        private Object readResolve() throws ObjectStreamException {
            if (DEFAULT_FILTER_PATTERN.equals(pattern)) {
                return withDefaultFilter();
            } else if (pattern != null) {
                return withPattern(pattern);
            } else if (filter instanceof ObjectInputFilter) {
                return withFilter((ObjectInputFilter) filter);
            }
            throw new InvalidObjectException("a JdkCodec's serialized form holds neither a pattern nor a filter");
        }
    }

    /**
     * The filter of one decode: structural checks against the input's length, then the JVM-wide filter and
     * the codec's own; it remembers why it refused, for the exception's message.
     */
    private static final class DecodeFilter implements ObjectInputFilter {
        private final ObjectInputFilter policy;
        private final long inputLength;
        String refusal;

        DecodeFilter(ObjectInputFilter policy, long inputLength) {
            this.policy = policy;
            this.inputLength = inputLength;
        }

        @Override
        public Status checkInput(FilterInfo info) {
            // Every element of a serialized array takes at least one byte, except in the tables that
            // HashMap/HashSet size from their load factor (at most 8 slots per element): beyond that, a length
            // is corrupt, and allocating it could exhaust the heap.
            if (info.arrayLength() > ARRAY_ELEMENTS_PER_BYTE * inputLength + 64) {
                refusal = "an array of " + info.arrayLength() + " elements in a message of " + inputLength
                        + " bytes (truncated or corrupt input)";
                return Status.REJECTED;
            }
            if (info.references() > inputLength) {
                refusal = info.references() + " object references in a message of " + inputLength
                        + " bytes (corrupt input)";
                return Status.REJECTED;
            }
            ObjectInputFilter global = ObjectInputFilter.Config.getSerialFilter();
            if (global != null && global.checkInput(info) == Status.REJECTED) {
                refusal = describe(info) + " (refused by the JVM-wide filter jdk.serialFilter)";
                return Status.REJECTED;
            }
            Status status = policy.checkInput(info);
            if (status == Status.REJECTED) {
                refusal = describe(info) + " (refused by the codec's ObjectInputFilter)";
            }
            return status;
        }

        private static String describe(FilterInfo info) {
            Class<?> c = info.serialClass();
            if (c != null) {
                return "class " + c.getName();
            }
            return "a stream past a limit (depth " + info.depth() + ", " + info.references() + " references, "
                    + info.streamBytes() + " bytes, array length " + info.arrayLength() + ")";
        }
    }

    /** Appends what an {@link ObjectOutputStream} writes to a {@link CodecBuffer}. */
    private static final class BufferOutputStream extends OutputStream {
        private final CodecBuffer out;

        BufferOutputStream(CodecBuffer out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            byte[] a = out.reserve(1);
            a[out.length()] = (byte) b;
            out.length(out.length() + 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            byte[] a = out.reserve(len);
            System.arraycopy(b, off, a, out.length(), len);
            out.length(out.length() + len);
        }
    }
}
