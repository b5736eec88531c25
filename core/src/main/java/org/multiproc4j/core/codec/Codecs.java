package org.multiproc4j.core.codec;

import java.io.ObjectInputFilter;

/**
 * Where codecs come from: {@link #fast()} for messages, {@link #jdk()} for anything {@link java.io.Serializable}.
 *
 * <pre>{@code
 * record Order(int id, String item) {}
 * record Fill(int orderId, double price) {}
 *
 * Codec messages = Codecs.fast(Order.class, Fill.class);   // Kryo, registration on
 * Codec anything = Codecs.jdk();                           // JDK serialization, filtered
 * Fill fill = messages.decode(messages.encode(new Fill(7, 1.25)), Fill.class);
 * Object error = anything.decode(anything.encode(new IllegalStateException("boom")));
 * }</pre>
 *
 * <p><b>Which to use.</b> The fast codec is for the messages a program sends many of: its own records and
 * classes, registered or allow-listed, and the JDK's value types and collections. A round trip of a small
 * record costs it a fraction of a microsecond where the JDK codec spends several; it refuses every class it
 * was not told about. The JDK codec carries what the fast one cannot (lambdas, exceptions, graphs with cycles,
 * classes with custom {@code writeObject}) with no registration. Primitive arrays bypass both.
 *
 * <p><b>Why the fast codec is Kryo.</b> Apache Fory 1.6 and Kryo 5.6 were both measured on this project's
 * payloads ({@code benchmarks/.../core/CodecBenchmark.java}, JMH, one encode + decode; {@code CodecColdStart}
 * for the first use in a fresh JVM; Java 17, 2 vCPUs). Fory is the faster of the two once warm: a
 * task-like record 63 ns against Kryo's 160, a 100-char string 26 against 103, a {@code List<Integer>} of
 * 100 600 against 1,000, a {@code Map<String, Integer>} of 10 284 against 640, a boxed {@code Integer} the
 * same (about 17 ns). Kryo was chosen because:
 * <ul>
 * <li>it refuses what it does not know when reading: given bytes naming a class that is not registered, Kryo
 *     throws, while Fory with registration required decodes it into a placeholder, or, when the two sides
 *     registered different classes under one id, into the wrong class without a word;</li>
 * <li>its first use in a fresh JVM costs about 50 ms (65 ms for this codec, which registers more types)
 *     against Fory's 290 ms (145 ms with Fory's code generation off): a child that decodes its first message
 *     is ready sooner;</li>
 * <li>it needs no JVM flags on Java 17 or 25 and, with {@code kryo.unsafe=false} (see {@link KryoCodec}),
 *     prints no warning on Java 25, where Fory warns about {@code sun.misc.Unsafe} and needs its
 *     multi-release classes (a shaded jar without {@code Multi-Release: true} fails); and it is already
 *     core's dependency.</li>
 * </ul>
 * The warm difference is tens to hundreds of nanoseconds per message, against the JDK codec's 2.5&ndash;20
 * microseconds for the same payloads. Primitive arrays bypass the library: a {@code double[1000]} round trip
 * costs the fast path about 370 ns (Fory 364 ns, raw Kryo 3,600 ns). Core's task transport (the task a child
 * runs) stays on JDK serialization: it carries lambdas and keeps every codec library off a child's start-up
 * path.
 *
 * <p><b>Thread safety.</b> The methods may be called from any thread; every codec they return is thread-safe.
 */
public final class Codecs {

    private Codecs() {
    }

    /**
     * Returns the fast codec with only the JDK types registered (see {@link KryoCodec}).
     *
     * @return a shared, thread-safe codec.
     */
    public static Codec fast() {
        return DefaultFast.INSTANCE;
    }

    /**
     * Returns a fast codec with these classes registered, in this order (register the same ones in the same
     * order in every process).
     *
     * @param registered the message classes.
     * @return a new, thread-safe codec.
     * @throws IllegalArgumentException if a class cannot be registered (see {@link KryoCodec.Builder#register}).
     */
    public static Codec fast(Class<?>... registered) {
        return KryoCodec.builder().register(registered).build();
    }

    /**
     * Starts building a fast codec: registrations, an allow-list, references, a depth limit.
     *
     * @return a new builder.
     */
    public static KryoCodec.Builder fastBuilder() {
        return KryoCodec.builder();
    }

    /**
     * Returns the JDK codec with the {@linkplain JdkCodec#defaultFilter() default filter}.
     *
     * @return a shared, thread-safe codec.
     */
    public static Codec jdk() {
        return DefaultJdk.INSTANCE;
    }

    /**
     * Returns a JDK codec that reads through {@code filter} (plus the JVM-wide filter and the codec's checks of
     * lengths against the input).
     *
     * @param filter the filter, e.g. from {@link ObjectInputFilter.Config#createFilter(String)}.
     * @return a new, thread-safe codec.
     */
    public static Codec jdk(ObjectInputFilter filter) {
        return JdkCodec.withFilter(filter);
    }

    /**
     * Returns a JDK codec that reads through the filter of a pattern, in the syntax of
     * {@link ObjectInputFilter.Config#createFilter(String)}, e.g. {@code "com.example.msg.*;java.base/*;!*"}.
     * Unlike one made from a filter object, this codec is {@link java.io.Serializable}.
     *
     * @param filterPattern the pattern.
     * @return a new, thread-safe codec.
     * @throws IllegalArgumentException if the pattern is malformed or empty.
     */
    public static Codec jdk(String filterPattern) {
        return JdkCodec.withPattern(filterPattern);
    }

    private static final class DefaultFast {
        static final Codec INSTANCE = KryoCodec.builder().build();
    }

    private static final class DefaultJdk {
        static final Codec INSTANCE = JdkCodec.withDefaultFilter();
    }
}
