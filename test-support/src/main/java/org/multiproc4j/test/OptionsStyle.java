package org.multiproc4j.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks that an options class follows the project's style for options (the "Options classes" section of
 * {@code CONTRIBUTING.md}), as far as reflection can tell: a public final class with a public no-argument
 * constructor and a public copy constructor; every fluent setter {@code Options x(...)} paired with a getter
 * {@code x()} that never returns {@code null}; every {@code DEFAULT_X} constant equal to what the getter
 * {@code x()} of a new instance returns; a {@code toString()} of the form {@code Name[setting=value, ...]} that
 * names every setting; a copy that tells the same settings and shares no mutable state with the original; and,
 * for a {@link Serializable} class, the same settings after a round trip through serialization.
 *
 * <pre>{@code
 * // compile-only: a test, which JUnit runs
 * import org.junit.jupiter.api.Test;
 *
 * class ChannelOptionsTest {
 *     @Test
 *     void followsTheOptionsStyle() {
 *         OptionsStyle.check(ChannelOptions.class, new ChannelOptions().capacity(65536));
 *     }
 * }
 * }</pre>
 */
public final class OptionsStyle {
    private OptionsStyle() {
    }

    /**
     * Checks an options class against the style, with one instance whose settings differ from the defaults.
     *
     * @param type       the options class.
     * @param configured an instance with at least one setting changed from its default.
     * @param <T>        the options type.
     */
    public static <T> void check(Class<T> type, T configured) {
        assertTrue(Modifier.isPublic(type.getModifiers()) && Modifier.isFinal(type.getModifiers()),
                type + " must be a public final class");
        T defaults = newInstance(type);
        Set<String> getters = settings(type);
        assertTrue(!getters.isEmpty(), type + " has no setting (a setter Options x(...) with a getter x())");
        checkDefaults(type, defaults);
        String name = displayName(type);
        for (T options : java.util.List.of(defaults, configured)) {
            String text = options.toString();
            assertTrue(text.startsWith(name + "[") && text.endsWith("]"),
                    "toString must read " + name + "[setting=value, ...], got " + text);
            for (String g : getters) {
                assertTrue(text.contains(g + "="), "toString must name the setting " + g + ": " + text);
                assertNotNull(get(options, g), type.getSimpleName() + "." + g + "() must not return null");
            }
        }
        assertNotEquals(defaults.toString(), configured.toString(),
                "the configured instance must differ from the defaults in some setting");
        T copy = copy(type, configured);
        assertEquals(configured.toString(), copy.toString(), "a copy must tell the same settings");
        for (String g : getters) {
            assertEquals(comparable(get(configured, g)), comparable(get(copy, g)), "a copy must have the same " + g
                    + "()");
        }
        for (Field f : type.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && isMutableContainer(f.getType())) {
                f.setAccessible(true);
                try {
                    assertTrue(f.get(configured) != f.get(copy) || f.get(copy) == null,
                            "a copy must not share the mutable field " + f.getName());
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        if (Serializable.class.isAssignableFrom(type)) {
            assertEquals(configured.toString(), roundTrip(configured).toString(),
                    "settings must survive serialization");
        }
    }

    /**
     * A setting's value as compared between an options object and its copy: itself, or its {@code toString()} if
     * its class keeps {@link Object#equals} (a getter that returns a defensive copy of nested options).
     */
    private static Object comparable(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return value.getClass().getMethod("equals", Object.class).getDeclaringClass() == Object.class
                    ? value.toString() : value;
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    /** The names of the settings: each {@code Options x(...)} with a public {@code x()} that returns a value. */
    private static Set<String> settings(Class<?> type) {
        Set<String> setters = new TreeSet<>();
        Set<String> getters = new TreeSet<>();
        for (Method m : type.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() != type) {
                continue;
            }
            if (m.getReturnType() == type && m.getParameterCount() > 0) {
                setters.add(m.getName());
            } else if (m.getParameterCount() == 0 && m.getReturnType() != void.class
                    && !m.getName().equals("toString") && !m.getName().equals("hashCode")) {
                getters.add(m.getName());
            }
        }
        for (String s : setters) {
            assertTrue(getters.contains(s), type.getSimpleName() + "." + s + "(...) has no getter " + s + "()");
        }
        return setters;
    }

    /** Each {@code DEFAULT_SOME_THING} constant must be what {@code someThing()} of a new instance returns. */
    private static void checkDefaults(Class<?> type, Object defaults) {
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getName().startsWith("DEFAULT_")) {
                String getter = camel(f.getName().substring("DEFAULT_".length()));
                Object constant;
                try {
                    constant = f.get(null);
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
                assertEquals(constant, get(defaults, getter),
                        f.getName() + " must be what " + getter + "() returns by default");
            }
        }
    }

    private static String camel(String upperSnake) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : upperSnake.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                b.append(up ? c : Character.toLowerCase(c));
                up = false;
            }
        }
        return b.toString();
    }

    private static String displayName(Class<?> type) {
        return type.getEnclosingClass() == null ? type.getSimpleName()
                : displayName(type.getEnclosingClass()) + "." + type.getSimpleName();
    }

    private static boolean isMutableContainer(Class<?> c) {
        return java.util.Collection.class.isAssignableFrom(c) || java.util.Map.class.isAssignableFrom(c)
                || c.isArray();
    }

    private static Object get(Object options, String getter) {
        try {
            return options.getClass().getMethod(getter).invoke(options);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new AssertionError(e);
        } catch (InvocationTargetException e) {
            throw new AssertionError(getter + "() threw", e.getCause());
        }
    }

    private static <T> T newInstance(Class<T> type) {
        try {
            return type.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            return fail(type + " must have a public no-argument constructor (every default)");
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static <T> T copy(Class<T> type, T original) {
        Constructor<T> c;
        try {
            c = type.getConstructor(type);
        } catch (NoSuchMethodException e) {
            return fail(type + " must have a public copy constructor");
        }
        try {
            return c.newInstance(original);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Object roundTrip(Object o) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(o);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return in.readObject();
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new AssertionError("cannot serialize " + o, e);
        }
    }
}
