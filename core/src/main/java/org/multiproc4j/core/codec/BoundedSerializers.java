package org.multiproc4j.core.codec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.MapSerializer;

/**
 * Kryo's serializers for the JDK types the fast codec pre-registers, with every element count checked
 * against the input ({@link BoundedInput}) before anything is sized by it. The bytes they write are Kryo's.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class BoundedSerializers {

    private BoundedSerializers() {
    }

    static void checkElements(Input input, int count, Class<?> type) {
        if (input instanceof BoundedInput) {
            ((BoundedInput) input).checkElements(count, "a " + type.getName());
        }
    }

    static void checkArrayPrefix(Input input, Class<?> type, int bytesEach) {
        if (input instanceof BoundedInput) {
            BoundedInput in = (BoundedInput) input;
            int n = in.peekLengthPrefix();
            if (n > 0) {
                in.checkLength(n - 1L, bytesEach, "a " + type.getSimpleName());
            } else if (n < 0) {
                in.checkLength(n, bytesEach, "a " + type.getSimpleName());
            }
        }
    }

    /** ArrayList, LinkedList, ArrayDeque, HashSet, LinkedHashSet. */
    static class Collections extends CollectionSerializer<Collection> {
        @Override
        protected Collection create(Kryo kryo, Input input, Class<? extends Collection> type, int size) {
            checkElements(input, size, type);
            return super.create(kryo, input, type, size);
        }
    }

    /** HashMap, LinkedHashMap, ConcurrentHashMap. */
    static final class Maps extends MapSerializer<Map> {
        @Override
        protected Map create(Kryo kryo, Input input, Class<? extends Map> type, int size) {
            checkElements(input, size, type);
            return super.create(kryo, input, type, size);
        }
    }

    static final class TreeSets extends DefaultSerializers.TreeSetSerializer {
        @Override
        protected TreeSet create(Kryo kryo, Input input, Class<? extends TreeSet> type, int size) {
            checkElements(input, size, type);
            return super.create(kryo, input, type, size);
        }
    }

    static final class TreeMaps extends DefaultSerializers.TreeMapSerializer {
        @Override
        protected TreeMap create(Kryo kryo, Input input, Class<? extends TreeMap> type, int size) {
            checkElements(input, size, type);
            return super.create(kryo, input, type, size);
        }
    }

    static final class ArraysAsList extends DefaultSerializers.ArraysAsListSerializer {
        @Override
        protected List create(Kryo kryo, Input input, Class type, int size) {
            checkElements(input, size, List.class);
            return super.create(kryo, input, type, size);
        }
    }

    /** {@code List.of(...)} and its sub-lists, read back as {@code List.copyOf}. */
    static final class ImmutableLists extends CollectionSerializer<List> {
        ImmutableLists() {
            setElementsCanBeNull(false);
        }

        @Override
        protected List create(Kryo kryo, Input input, Class<? extends List> type, int size) {
            checkElements(input, size, List.class);
            return new ArrayList<>(size);
        }

        @Override
        public List read(Kryo kryo, Input input, Class<? extends List> type) {
            List list = super.read(kryo, input, type);
            return list == null ? null : List.copyOf(list);
        }
    }

    /** {@code Set.of(...)}, read back as {@code Set.copyOf}. */
    static final class ImmutableSets extends CollectionSerializer<Set> {
        ImmutableSets() {
            setElementsCanBeNull(false);
        }

        @Override
        protected Set create(Kryo kryo, Input input, Class<? extends Set> type, int size) {
            checkElements(input, size, Set.class);
            return new java.util.HashSet<>(Math.max((int) (size / 0.75f) + 1, 16));
        }

        @Override
        public Set read(Kryo kryo, Input input, Class<? extends Set> type) {
            Set set = super.read(kryo, input, type);
            return set == null ? null : Set.copyOf(set);
        }
    }

    /** {@code Map.of(...)}, read back as {@code Map.copyOf}. */
    static final class ImmutableMaps extends MapSerializer<Map> {
        ImmutableMaps() {
            setKeysCanBeNull(false);
            setValuesCanBeNull(false);
        }

        @Override
        protected Map create(Kryo kryo, Input input, Class<? extends Map> type, int size) {
            checkElements(input, size, Map.class);
            return new HashMap<>(Math.max((int) (size / 0.75f) + 1, 16));
        }

        @Override
        public Map read(Kryo kryo, Input input, Class<? extends Map> type) {
            Map map = super.read(kryo, input, type);
            return map == null ? null : Map.copyOf(map);
        }
    }

    static final class ObjectArrays extends DefaultArraySerializers.ObjectArraySerializer {
        ObjectArrays(Kryo kryo, Class type) {
            super(kryo, type);
        }

        @Override
        public Object[] read(Kryo kryo, Input input, Class type) {
            checkArrayPrefix(input, type, 1);
            return super.read(kryo, input, type);
        }
    }

    static final class StringArrays extends DefaultArraySerializers.StringArraySerializer {
        @Override
        public String[] read(Kryo kryo, Input input, Class type) {
            checkArrayPrefix(input, String[].class, 1);
            return super.read(kryo, input, type);
        }
    }

    static final class BooleanArrays extends DefaultArraySerializers.BooleanArraySerializer {
        @Override
        public boolean[] read(Kryo kryo, Input input, Class type) {
            checkArrayPrefix(input, boolean[].class, 1);
            return super.read(kryo, input, type);
        }
    }
}
