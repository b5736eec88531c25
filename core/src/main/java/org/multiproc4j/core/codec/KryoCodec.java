package org.multiproc4j.core.codec;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import com.esotericsoftware.kryo.io.KryoBufferUnderflowException;
import com.esotericsoftware.kryo.io.Output;

import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.Shareable;
import org.multiproc4j.core.internal.Wire;

/**
 * The fast codec, on <a href="https://github.com/EsotericSoftware/kryo">Kryo</a> 5, with class registration
 * on: it encodes the JDK's common value types and the classes you register or allow-list, and refuses
 * every other class, both when writing and when reading. Get one from {@link Codecs#fast()},
 * {@link Codecs#fast(Class[])} or {@link Codecs#fastBuilder()}; {@link Codecs} says why Kryo.
 *
 * <pre>{@code
 * record Order(int id, String item) {}
 * record Fill(int orderId, double price) {}
 *
 * KryoCodec codec = Codecs.fastBuilder()
 *         .register(Order.class, Fill.class)    // compact ids, same order in every process
 *         .allow("com.example.events.*")        // or: written by class name, checked before loading
 *         .build();
 * Order order = codec.decode(codec.encode(new Order(7, "pear")), Order.class);
 * }</pre>
 *
 * <p><b>What it carries.</b> Boxed primitives, {@code String}, arrays of those and of carried classes,
 * {@code ArrayList}, {@code LinkedList}, {@code ArrayDeque}, {@code HashSet}, {@code LinkedHashSet},
 * {@code TreeSet} and {@code TreeMap} (natural order), {@code HashMap}, {@code LinkedHashMap},
 * {@code ConcurrentHashMap}, {@code List.of}/{@code Set.of}/{@code Map.of} and {@code Collections.empty*}/
 * {@code singleton*}/{@code Arrays.asList} lists, {@code BigInteger}, {@code BigDecimal}, {@code UUID},
 * {@code URI}, {@code BitSet}, {@code Optional}s and the {@code java.time} value types; records, enums and
 * plain classes once registered or allow-listed (their fields are written directly; {@code writeObject}
 * methods are not called; no no-arg constructor is needed). Lambdas are refused: send them with
 * {@link Codecs#jdk()}. Messages are trees: a shared object is written once per reference and a cycle fails
 * at the depth limit, unless the codec is built with {@link Builder#references(boolean) references(true)}.
 *
 * <p><b>Small collections.</b> An {@code ArrayList}, {@code HashMap}, {@code LinkedHashMap}, {@code HashSet},
 * {@code LinkedHashSet} or {@code List.of}/{@code Set.of}/{@code Map.of} collection holding only such collections
 * (up to 8 levels) and plain values (boxed primitives, strings, primitive arrays, {@code null}) is written in a
 * compact form of its own without Kryo, several times faster for small messages, and decoded into the same
 * classes; codecs built with {@link Builder#references(boolean) references(true)} leave it to Kryo.
 *
 * <p><b>Registered or allow-listed.</b> A registered class is written as a small id: fastest and smallest,
 * but every process must register the same classes in the same order. Each message carries a 4-byte
 * fingerprint of the registrations, so a codec with different ones refuses the bytes with a clear message
 * instead of decoding the wrong classes. An allow-listed class is written by name (once per message) and
 * needs no common order; a name that is neither registered nor allow-listed is refused before its class is
 * loaded.
 *
 * <p><b>Thread safety.</b> Thread-safe. Each platform thread keeps its own Kryo instance, built on its first
 * use (tens of microseconds; the first use in a JVM loads Kryo, about 50 ms); virtual threads share a small
 * pool of them.
 *
 * <p><b>JVM flags.</b> None, on Java 17 to 25. Unless the JVM set it already, building the first fast codec sets
 * the system property {@code kryo.unsafe=false}, before Kryo initializes: Kryo then reads fields by reflection
 * rather than through {@code sun.misc.Unsafe}, which Java 24 and later report with a warning on the console
 * (and a later Java will refuse). Records are not affected; plain classes cost a few tens of nanoseconds more.
 *
 * <p><b>Serializable.</b> A codec serializes as its configuration (class names, patterns, options) and is
 * rebuilt, with the same fingerprint, in the process that reads it, so a pipe's handle can carry it.
 *
 * <p><b>Failure.</b> As in {@link Codec}; the messages name the refused or missing class and where in the
 * object graph it was met.
 */
public final class KryoCodec extends AbstractCodec implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Tag and fingerprint. */
    static final int HEADER = 5;

    private static final byte[] EMPTY = new byte[0];

    private final transient KryoSetup setup;
    private final transient int fingerprint;
    private final transient PerThread<State> states;
    /** Whether small collections of plain values take the {@link Compact} form (trees only: no references). */
    private final transient boolean compact;

    KryoCodec(KryoSetup setup) {
        this.setup = setup;
        this.fingerprint = setup.fingerprint();
        this.compact = !setup.references() && setup.maxDepth() > 2 * Compact.MAX_DEPTH;
        this.states = new PerThread<>(new Supplier<State>() {
            @Override
            public State get() {
                return new State(setup.newKryo());
            }
        });
    }

    /**
     * Starts building a fast codec.
     *
     * @return a new builder with nothing registered, nothing allow-listed, references off.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the classes registered by the user, in id order (the JDK types are always registered too).
     *
     * @return an unmodifiable list.
     */
    public List<Class<?>> registeredClasses() {
        return setup.userClasses();
    }

    /**
     * Returns the allow-list patterns.
     *
     * @return an unmodifiable list.
     */
    public List<String> allowed() {
        return setup.allowPatterns();
    }

    /**
     * Returns the fingerprint written in every message: a CRC-32 of the wire format version, the options that
     * change the bytes, and the registered classes in order. Two codecs can read each other's bytes if and
     * only if their fingerprints are equal (and their allow-lists admit the classes written by name).
     *
     * @return the fingerprint.
     */
    public int fingerprint() {
        return fingerprint;
    }

    @Override
    public String toString() {
        return "KryoCodec[registered=" + setup.userClasses().size() + ", allowed=" + setup.allowPatterns()
                + ", references=" + setup.references() + ", fingerprint=" + Integer.toHexString(fingerprint) + "]";
    }

    @Override
    String kind() {
        return "the fast (Kryo) codec";
    }

    @Override
    void encodeObject(Object value, CodecBuffer out) {
        if (compact && Compact.candidate(value)) {
            int start = out.length();
            try {
                byte[] array = out.reserve(HEADER);
                array[start] = Wire.KRYO;
                putIntLE(array, start + 1, fingerprint);
                out.length(start + HEADER);
                if (Compact.write(value, out)) {
                    return;
                }
            } catch (SerializationException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new SerializationException("the fast codec cannot encode a " + value.getClass().getName()
                        + ": " + e, e);
            }
            out.length(start); // something in it has no compact form: all of it goes to Kryo
        }
        State state = states.acquire();
        Output output = state.output;
        boolean ok = false;
        try {
            int start = out.length();
            byte[] array = out.reserve(HEADER);
            array[start] = Wire.KRYO;
            putIntLE(array, start + 1, fingerprint);
            output.setBuffer(array, CodecBuffer.MAX_LENGTH);
            output.setPosition(start + HEADER);
            state.kryo.writeClassAndObject(output, value);
            out.adopt(output.getBuffer(), output.position());
            ok = true;
        } catch (KryoBufferOverflowException e) {
            throw new SerializationException("the fast codec cannot encode a " + value.getClass().getName()
                    + ": the message is longer than the largest a codec can hold (" + CodecBuffer.MAX_LENGTH
                    + " bytes)", e);
        } catch (KryoException e) {
            throw encodeFailure(value, e);
        } catch (StackOverflowError e) {
            throw new SerializationException("the fast codec cannot encode a " + value.getClass().getName()
                    + ": its object graph is too deep for the stack", e);
        } catch (SerializationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SerializationException("the fast codec cannot encode a " + value.getClass().getName() + ": "
                    + e, e);
        } finally {
            output.setBuffer(EMPTY, -1);
            if (ok) {
                states.release(state);
            } else {
                states.discard(state);
            }
        }
    }

    @Override
    Object decodeObject(byte tag, byte[] bytes, int offset, int length) {
        if (tag != Wire.KRYO) {
            throw foreignTag(tag);
        }
        if (length < HEADER) {
            throw Wire.corrupt("a fast-codec message has a " + HEADER + "-byte header but " + length
                    + " bytes were given (truncated input)");
        }
        int written = getIntLE(bytes, offset + 1);
        if (written != fingerprint) {
            throw new SerializationException(String.format("the fast codec cannot decode: the bytes were written"
                    + " by a fast codec with other registrations (fingerprint %08x, this codec's is %08x): register"
                    + " the same classes, in the same order, with the same options, in every process", written,
                    fingerprint), null);
        }
        if (length > HEADER && bytes[offset + HEADER] == Compact.MARKER) {
            return Compact.read(bytes, offset + HEADER, length - HEADER);
        }
        State state = states.acquire();
        BoundedInput input = state.input;
        boolean ok = false;
        try {
            input.reset(bytes, offset + HEADER, length - HEADER);
            Object value = state.kryo.readClassAndObject(input);
            int end = offset + length;
            if (input.position() != end) {
                throw Wire.corrupt((end - input.position()) + " bytes follow the value in a " + length
                        + "-byte message (corrupt input, or a message boundary is wrong)");
            }
            ok = true;
            return value;
        } catch (SerializationException e) {
            throw e;
        } catch (KryoBufferUnderflowException e) {
            throw new SerializationException("cannot decode: truncated or corrupt input (" + length
                    + " bytes for the fast codec ended too soon" + traceOf(e) + ")", e);
        } catch (KryoException e) {
            throw decodeFailure(e, length);
        } catch (StackOverflowError e) {
            throw new SerializationException("cannot decode: the object graph is too deep for the stack", e);
        } catch (RuntimeException e) {
            throw new SerializationException("cannot decode: corrupt input (" + e + ")", e);
        } finally {
            input.release();
            if (ok) {
                states.release(state);
            } else {
                states.discard(state);
            }
        }
    }

    private SerializationException encodeFailure(Object value, KryoException e) {
        CodecKryoException ours = find(e);
        if (ours != null) {
            return new SerializationException(ours.detail() + traceOf(e), e);
        }
        String first = firstLine(e);
        if (first.startsWith("Max depth exceeded")) {
            return new SerializationException("the fast codec cannot encode a " + value.getClass().getName()
                    + ": its object graph is deeper than " + setup.maxDepth() + " levels"
                    + (setup.references() ? "" : " (a cycle? build the codec with references(true) for graphs"
                    + " with cycles or shared objects)") + traceOf(e), e);
        }
        return new SerializationException("the fast codec cannot encode a " + value.getClass().getName() + ": "
                + first + traceOf(e), e);
    }

    private SerializationException decodeFailure(KryoException e, int length) {
        CodecKryoException ours = find(e);
        if (ours != null) {
            return new SerializationException(ours.detail() + traceOf(e), e);
        }
        String first = firstLine(e);
        if (first.startsWith("Encountered unregistered class ID: ")) {
            return new SerializationException("cannot decode: the input names class id "
                    + first.substring("Encountered unregistered class ID: ".length())
                    + ", which this codec has not registered (corrupt input)" + traceOf(e), e);
        } else if (first.startsWith("Unable to find class: ")) {
            return new SerializationException("the fast codec cannot decode class "
                    + first.substring("Unable to find class: ".length()) + ": it is not on this JVM's class path"
                    + traceOf(e), e);
        } else if (first.startsWith("Max depth exceeded")) {
            return new SerializationException("cannot decode: the object graph is deeper than " + setup.maxDepth()
                    + " levels (corrupt input, or a codec with a larger maxDepth wrote it)" + traceOf(e), e);
        }
        return new SerializationException("cannot decode: corrupt input or classes that differ between the"
                + " processes (" + length + " bytes: " + first + ")" + traceOf(e), e);
    }

    private static CodecKryoException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CodecKryoException) {
                return (CodecKryoException) t;
            }
        }
        return null;
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Kryo's "serialization trace" (where in the object graph), as " (at a < b < c)", or "". */
    private static String traceOf(KryoException e) {
        String m = String.valueOf(e.getMessage());
        int at = m.indexOf("Serialization trace:");
        if (at < 0) {
            return "";
        }
        String[] lines = m.substring(at + "Serialization trace:".length()).trim().split("\n");
        return " (at " + String.join(" < ", lines) + ")";
    }

    private static void putIntLE(byte[] a, int i, int v) {
        a[i] = (byte) v;
        a[i + 1] = (byte) (v >>> 8);
        a[i + 2] = (byte) (v >>> 16);
        a[i + 3] = (byte) (v >>> 24);
    }

    private static int getIntLE(byte[] a, int i) {
        return (a[i] & 0xff) | (a[i + 1] & 0xff) << 8 | (a[i + 2] & 0xff) << 16 | (a[i + 3] & 0xff) << 24;
    }

    /**
     * Replaces this codec by its serialized form: its registered class names, patterns and options.
     *
     * @return the serialized form.
     */
    private Object writeReplace() {
        List<String> names = new ArrayList<>();
        for (Class<?> c : setup.userClasses()) {
            names.add(c.getName());
        }
        return new SerializedForm(names, setup.allowPatterns(), setup.references(), setup.maxDepth());
    }

    /**
     * Refuses a stream that holds a codec other than through its serialized form.
     *
     * @param in the stream.
     * @throws InvalidObjectException always.
     */
    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a KryoCodec is read through its serialized form");
    }

    /** One thread's Kryo and its reusable output and input. */
    private static final class State {
        final Kryo kryo;
        final Output output = new Output(EMPTY, -1);
        final BoundedInput input = new BoundedInput();

        State(Kryo kryo) {
            this.kryo = kryo;
        }
    }

    /** What a {@link KryoCodec} travels as: its configuration, by class name. */
    private static final class SerializedForm implements Serializable {
        private static final long serialVersionUID = 1L;
        private final ArrayList<String> classNames;
        private final ArrayList<String> allowPatterns;
        private final boolean references;
        private final int maxDepth;

        SerializedForm(List<String> classNames, List<String> allowPatterns, boolean references, int maxDepth) {
            this.classNames = new ArrayList<>(classNames);
            this.allowPatterns = new ArrayList<>(allowPatterns);
            this.references = references;
            this.maxDepth = maxDepth;
        }

        private Object readResolve() throws ObjectStreamException {
            Builder b = builder().references(references).maxDepth(maxDepth);
            ClassLoader loader = Builder.defaultLoader();
            for (String name : classNames) {
                try {
                    b.register(Class.forName(name, false, loader));
                } catch (ClassNotFoundException e) {
                    InvalidObjectException x = new InvalidObjectException("a fast codec registers " + name
                            + ", which is not on this JVM's class path");
                    x.initCause(e);
                    throw x;
                }
            }
            b.allow(allowPatterns.toArray(new String[0]));
            return b.build();
        }
    }

    /**
     * Builds a {@link KryoCodec}. Not thread-safe; the codec it builds is.
     */
    public static final class Builder {
        private final Set<Class<?>> classes = new LinkedHashSet<>();
        private final List<String> allow = new ArrayList<>();
        private boolean references;
        private int maxDepth = 512;
        private ClassLoader loader;

        private Builder() {
        }

        /**
         * Registers classes, in order: each gets the next id. Every process must register the same classes in
         * the same order (a codec built from one shared list, or a codec carried by a handle, does). JDK types
         * the codec knows already are skipped, as are repeats. Arrays of a registered class need no
         * registration of their own.
         *
         * @param types the classes (records, enums, plain classes) to register.
         * @return this builder.
         * @throws IllegalArgumentException if a type is {@link Shareable} (shared objects travel as their
         *                                  handle and need no registration) or an interface.
         */
        public Builder register(Class<?>... types) {
            for (Class<?> type : types) {
                Objects.requireNonNull(type, "type");
                if (Shareable.class.isAssignableFrom(type)) {
                    throw new IllegalArgumentException(type.getName() + " is Shareable: it travels as its handle"
                            + " and must not be registered");
                }
                if (type.isInterface() && !type.isArray()) {
                    throw new IllegalArgumentException(type.getName() + " is an interface: register the classes"
                            + " that implement it");
                }
                if (!KryoSetup.isPreRegistered(type)) {
                    classes.add(type);
                }
            }
            return this;
        }

        /**
         * Allow-lists classes by name, to be written by name without registration (slower and larger than
         * registered ones, but free of ordering). Each pattern is a class name ({@code com.example.Foo}), a
         * package ({@code com.example.*}: its classes, not its sub-packages) or a package tree
         * ({@code com.example.**}). Nested classes belong to their outer class's package.
         *
         * @param patterns the patterns.
         * @return this builder.
         * @throws IllegalArgumentException if a pattern has another form.
         */
        public Builder allow(String... patterns) {
            for (String p : patterns) {
                allow.add(KryoSetup.AllowList.validate(p));
            }
            return this;
        }

        /**
         * Tracks object references, so that an object reached twice is written once and read back as one
         * object, and cycles work (about a third slower). Off by default: messages are usually trees. Both
         * sides must agree (it is part of the fingerprint).
         *
         * @param track whether to track references.
         * @return this builder.
         */
        public Builder references(boolean track) {
            this.references = track;
            return this;
        }

        /**
         * Sets how deeply objects may nest in a message (default 512) before encoding or decoding fails with
         * {@link SerializationException}, instead of overflowing the stack.
         *
         * @param depth the limit.
         * @return this builder.
         * @throws IllegalArgumentException if {@code depth} is not positive.
         */
        public Builder maxDepth(int depth) {
            if (depth <= 0) {
                throw new IllegalArgumentException("maxDepth must be positive but was " + depth);
            }
            this.maxDepth = depth;
            return this;
        }

        /**
         * Sets the class loader that classes written by name are loaded with (default: the thread's context
         * class loader when {@link #build()} is called, else this library's).
         *
         * @param classLoader the loader.
         * @return this builder.
         */
        public Builder classLoader(ClassLoader classLoader) {
            this.loader = Objects.requireNonNull(classLoader, "classLoader");
            return this;
        }

        /**
         * Builds the codec.
         *
         * @return a new, thread-safe codec.
         */
        public KryoCodec build() {
            return new KryoCodec(new KryoSetup(new ArrayList<>(classes), allow, references, maxDepth,
                    loader != null ? loader : defaultLoader()));
        }

        static ClassLoader defaultLoader() {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            return context != null ? context : KryoCodec.class.getClassLoader();
        }
    }
}
