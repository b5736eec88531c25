package org.multiproc4j.core.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
import org.objenesis.strategy.StdInstantiatorStrategy;

import org.multiproc4j.core.Shareable;

/**
 * The immutable configuration of a {@link KryoCodec} (registrations, allow-list, options) and the factory
 * of the per-thread {@link Kryo} instances built from it.
 *
 * <p>Class ids: Kryo's own 0-8 (primitives/wrappers and String), {@value #JDK_BASE}+ for the JDK types
 * below (one fixed slot each, so adding types later never shifts the others), {@value #SHAREABLE_ID} for
 * {@link Shareable}s, {@value #USER_BASE}+ for the user's classes in registration order.
 */
final class KryoSetup {

    static {
        // Kryo reads this once, when its Util class initializes. Left unset, Kryo reaches for sun.misc.Unsafe,
        // which Java 24+ reports with a warning on stderr (JEP 498) and a later Java will refuse; with it,
        // Kryo reads fields by reflection or ReflectASM instead (records are unaffected). A JVM that set the
        // property, or used Kryo before this class, keeps its choice.
        if (System.getProperty("kryo.unsafe") == null) {
            System.setProperty("kryo.unsafe", "false");
        }
    }

    static final int JDK_BASE = 10;
    static final int SHAREABLE_ID = 99;
    static final int USER_BASE = 100;

    /** The wire format's version, part of the fingerprint. */
    private static final String FORMAT = "multiproc4j-kryo-1";

    /** The JDK types every fast codec knows, in id order. Never reorder: append. */
    static final List<Class<?>> JDK_TYPES = List.of(
            byte[].class, boolean[].class, char[].class, short[].class, int[].class, long[].class,
            float[].class, double[].class, String[].class, Object[].class,
            ArrayList.class, LinkedList.class, ArrayDeque.class, HashSet.class, LinkedHashSet.class, TreeSet.class,
            HashMap.class, LinkedHashMap.class, TreeMap.class, ConcurrentHashMap.class,
            List.of().getClass(), List.of(1).getClass(), List.of(1, 2, 3).subList(0, 1).getClass(),
            Set.of().getClass(), Set.of(1).getClass(), Map.of().getClass(), Map.of(1, 1).getClass(),
            Collections.emptyList().getClass(), Collections.emptySet().getClass(), Collections.emptyMap().getClass(),
            Collections.singletonList(1).getClass(), Collections.singleton(1).getClass(),
            Collections.singletonMap(1, 1).getClass(), Arrays.asList().getClass(),
            BigInteger.class, BigDecimal.class, UUID.class, URI.class, BitSet.class,
            Optional.class, OptionalInt.class, OptionalLong.class, OptionalDouble.class,
            Duration.class, Instant.class, LocalDate.class, LocalTime.class, LocalDateTime.class,
            OffsetDateTime.class, OffsetTime.class, ZonedDateTime.class, Period.class);

    /** Classes Kryo registers itself (the wrappers share their primitive's registration). */
    private static final List<Class<?>> KRYO_TYPES = List.of(Integer.class, String.class, Float.class,
            Boolean.class, Byte.class, Character.class, Short.class, Long.class, Double.class);

    private final List<Class<?>> userClasses;
    private final List<String> allowPatterns;
    private final Set<String> knownNames;
    private final AllowList allowList;
    private final boolean references;
    private final int maxDepth;
    private final ClassLoader loader;
    private final int fingerprint;

    KryoSetup(List<Class<?>> userClasses, List<String> allowPatterns, boolean references, int maxDepth,
            ClassLoader loader) {
        this.userClasses = List.copyOf(userClasses);
        this.allowPatterns = List.copyOf(allowPatterns);
        this.allowList = new AllowList(allowPatterns);
        this.references = references;
        this.maxDepth = maxDepth;
        this.loader = loader;
        Set<String> names = new HashSet<>();
        for (Class<?> c : KRYO_TYPES) {
            names.add(c.getName());
        }
        for (Class<?> c : JDK_TYPES) {
            names.add(c.getName());
        }
        for (Class<?> c : this.userClasses) {
            names.add(c.getName());
        }
        this.knownNames = Set.copyOf(names);
        this.fingerprint = computeFingerprint();
    }

    static boolean isPreRegistered(Class<?> type) {
        return JDK_TYPES.contains(type) || KRYO_TYPES.contains(type) || type.isPrimitive();
    }

    List<Class<?>> userClasses() {
        return userClasses;
    }

    List<String> allowPatterns() {
        return allowPatterns;
    }

    boolean references() {
        return references;
    }

    int maxDepth() {
        return maxDepth;
    }

    ClassLoader loader() {
        return loader;
    }

    int fingerprint() {
        return fingerprint;
    }

    private int computeFingerprint() {
        StringBuilder s = new StringBuilder(FORMAT).append(";references=").append(references);
        for (Class<?> c : JDK_TYPES) {
            s.append(';').append(c.getName());
        }
        s.append(";user");
        for (Class<?> c : userClasses) {
            s.append(';').append(c.getName());
        }
        CRC32 crc = new CRC32();
        crc.update(s.toString().getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    /** Whether an unregistered class may be written by name. */
    boolean allows(Class<?> type) {
        Class<?> c = type;
        while (c.isArray()) {
            c = c.getComponentType();
        }
        return c.isPrimitive() || knownNames.contains(c.getName()) || allowList.matches(c.getName());
    }

    /** Whether a class named in the input may be loaded. */
    boolean allowsName(String className) {
        String name = className;
        int dims = 0;
        while (dims < name.length() && name.charAt(dims) == '[') {
            dims++;
        }
        if (dims > 0) {
            if (dims == name.length() || name.charAt(dims) != 'L') {
                return dims < name.length() && name.length() == dims + 1; // primitive component: [I, [[D
            }
            if (!name.endsWith(";")) {
                return false;
            }
            name = name.substring(dims + 1, name.length() - 1);
        }
        return knownNames.contains(name) || allowList.matches(name);
    }

    /** The message for a class that is neither registered nor allow-listed, when writing. */
    static String notAllowedToWrite(Class<?> type) {
        String name = type.getName();
        if (name.contains("$$Lambda") || type.isSynthetic()) {
            return "the fast codec cannot encode a lambda declared in "
                    + (name.contains("$$Lambda") ? name.substring(0, name.indexOf("$$Lambda")) : name) + " (" + name
                    + "): it carries registered or allow-listed classes only; send lambdas with Codecs.jdk()";
        }
        String simple = type.getSimpleName().isEmpty() ? name : type.getSimpleName();
        String pkg = type.getPackageName();
        return "the fast codec cannot encode " + name + ": the class is neither registered nor allow-listed"
                + " (register it in every process, Codecs.fastBuilder().register(" + simple + ".class), or allow its"
                + " package, .allow(\"" + (pkg.isEmpty() ? name : pkg + ".*") + "\"))";
    }

    /** Builds a Kryo configured for this codec; each thread gets its own. */
    Kryo newKryo() {
        CodecClassResolver resolver = new CodecClassResolver(this);
        Kryo kryo = new Kryo(resolver, references ? new MapReferenceResolver() : null);
        kryo.setRegistrationRequired(false); // the resolver enforces registration / allow-listing itself
        kryo.setWarnUnregisteredClasses(false);
        kryo.setMaxDepth(maxDepth);
        kryo.setClassLoader(loader);
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        // arrays of registered or allow-listed classes are written by name; give them the bounded serializer
        kryo.addDefaultSerializer(Object[].class, new SerializerFactory.BaseSerializerFactory<Serializer<?>>() {
            @Override
            @SuppressWarnings("rawtypes")
            public Serializer<?> newSerializer(Kryo k, Class type) {
                return new BoundedSerializers.ObjectArrays(k, type);
            }
        });
        Set<Class<?>> done = new HashSet<>();
        for (int i = 0; i < JDK_TYPES.size(); i++) {
            Class<?> type = JDK_TYPES.get(i);
            if (done.add(type)) {
                Serializer<?> serializer = serializerFor(kryo, type);
                if (serializer != null) {
                    kryo.register(type, serializer, JDK_BASE + i);
                } else {
                    kryo.register(type, JDK_BASE + i);
                }
            }
        }
        resolver.shareable = kryo.register(ShareableSerializer.Marker.class, new ShareableSerializer(), SHAREABLE_ID);
        for (int i = 0; i < userClasses.size(); i++) {
            kryo.register(userClasses.get(i), USER_BASE + i);
        }
        return kryo;
    }

    private static Serializer<?> serializerFor(Kryo kryo, Class<?> type) {
        if (type == String[].class) {
            return new BoundedSerializers.StringArrays();
        } else if (type == Object[].class) {
            return new BoundedSerializers.ObjectArrays(kryo, Object[].class);
        } else if (type == boolean[].class) {
            return new BoundedSerializers.BooleanArrays();
        } else if (type == ArrayList.class || type == LinkedList.class || type == ArrayDeque.class
                || type == HashSet.class || type == LinkedHashSet.class) {
            return new BoundedSerializers.Collections();
        } else if (type == TreeSet.class) {
            return new BoundedSerializers.TreeSets();
        } else if (type == HashMap.class || type == LinkedHashMap.class || type == ConcurrentHashMap.class) {
            return new BoundedSerializers.Maps();
        } else if (type == TreeMap.class) {
            return new BoundedSerializers.TreeMaps();
        } else if (type == Arrays.asList().getClass()) {
            return new BoundedSerializers.ArraysAsList();
        } else if (List.class.isAssignableFrom(type) && type.getName().startsWith("java.util.ImmutableCollections")) {
            return new BoundedSerializers.ImmutableLists();
        } else if (Set.class.isAssignableFrom(type) && type.getName().startsWith("java.util.ImmutableCollections")) {
            return new BoundedSerializers.ImmutableSets();
        } else if (Map.class.isAssignableFrom(type) && type.getName().startsWith("java.util.ImmutableCollections")) {
            return new BoundedSerializers.ImmutableMaps();
        } else if (type == UUID.class) {
            return new DefaultSerializers.UUIDSerializer();
        } else if (type == URI.class) {
            return new DefaultSerializers.URISerializer();
        }
        return null; // Kryo's default serializer for the type
    }

    /**
     * Registration and allow-listing enforced where Kryo resolves classes: a {@link Shareable} resolves to
     * the handle serializer, an unregistered class is written by name only if allow-listed, and a class named
     * in the input is checked before it is loaded.
     */
    static final class CodecClassResolver extends DefaultClassResolver {
        private final KryoSetup setup;
        Registration shareable;

        CodecClassResolver(KryoSetup setup) {
            this.setup = setup;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Registration getRegistration(Class type) {
            Registration registration = super.getRegistration(type);
            if (registration == null && shareable != null && Shareable.class.isAssignableFrom(type)) {
                classToRegistration.put(type, shareable);
                return shareable;
            }
            return registration;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Registration registerImplicit(Class type) {
            if (!setup.allows(type)) {
                throw new CodecKryoException(notAllowedToWrite(type));
            }
            return super.registerImplicit(type);
        }

        @Override
        @SuppressWarnings("rawtypes")
        protected Class getTypeByName(String className) {
            if (!setup.allowsName(className)) {
                throw new CodecKryoException("the fast codec refused to decode class " + className
                        + ": it is neither registered nor allow-listed in this codec");
            }
            return super.getTypeByName(className);
        }
    }

    /**
     * Class-name patterns: {@code com.example.Foo} (that class), {@code com.example.*} (the classes of a
     * package), {@code com.example.**} (a package and its sub-packages).
     */
    static final class AllowList {
        private final Set<String> exact = new HashSet<>();
        private final List<String> packages = new ArrayList<>();
        private final List<String> trees = new ArrayList<>();

        AllowList(List<String> patterns) {
            for (String p : patterns) {
                if (p.endsWith(".**")) {
                    trees.add(p.substring(0, p.length() - 2));
                } else if (p.endsWith(".*")) {
                    packages.add(p.substring(0, p.length() - 1));
                } else {
                    exact.add(p);
                }
            }
        }

        static String validate(String pattern) {
            if (pattern == null || pattern.isBlank()) {
                throw new IllegalArgumentException("an allow-list pattern must not be empty");
            }
            String body = pattern.endsWith(".**") ? pattern.substring(0, pattern.length() - 3)
                    : pattern.endsWith(".*") ? pattern.substring(0, pattern.length() - 2) : pattern;
            if (body.isEmpty() || body.contains("*") || body.startsWith(".") || body.endsWith(".")
                    || body.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("bad allow-list pattern \"" + pattern + "\": use a class name"
                        + " (com.example.Foo), a package (com.example.*) or a package tree (com.example.**)");
            }
            return pattern;
        }

        boolean matches(String className) {
            if (exact.contains(className)) {
                return true;
            }
            for (String prefix : packages) {
                if (className.startsWith(prefix) && className.indexOf('.', prefix.length()) < 0) {
                    return true;
                }
            }
            for (String prefix : trees) {
                if (className.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }
    }
}
