package org.multiproc4j.test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link OptionsStyle} passes an options class written in the style and names what a bad one breaks. */
class OptionsStyleTest {

    /** Written in the style. */
    public static final class Good implements Serializable {
        private static final long serialVersionUID = 1L;
        /** Default size. */
        public static final int DEFAULT_SIZE = 4;
        private int size = DEFAULT_SIZE;
        private final ArrayList<String> tags;

        public Good() {
            tags = new ArrayList<>();
        }

        public Good(Good other) {
            size = other.size;
            tags = new ArrayList<>(other.tags);
        }

        public Good size(int size) {
            this.size = size;
            return this;
        }

        public int size() {
            return size;
        }

        public Good tags(String... t) {
            tags.addAll(List.of(t));
            return this;
        }

        public List<String> tags() {
            return List.copyOf(tags);
        }

        @Override
        public String toString() {
            return "OptionsStyleTest.Good[size=" + size + ", tags=" + tags + "]";
        }
    }

    /** A setter without its getter. */
    public static final class NoGetter {
        private int size;

        public NoGetter() {
        }

        public NoGetter(NoGetter other) {
            size = other.size;
        }

        public NoGetter size(int size) {
            this.size = size;
            return this;
        }

        @Override
        public String toString() {
            return "OptionsStyleTest.NoGetter[size=" + size + "]";
        }
    }

    /** A default constant that is not the default. */
    public static final class LyingDefault {
        /** Not the default. */
        public static final int DEFAULT_SIZE = 5;
        private int size = 4;

        public LyingDefault() {
        }

        public LyingDefault(LyingDefault other) {
            size = other.size;
        }

        public LyingDefault size(int size) {
            this.size = size;
            return this;
        }

        public int size() {
            return size;
        }

        @Override
        public String toString() {
            return "OptionsStyleTest.LyingDefault[size=" + size + "]";
        }
    }

    /** A toString that forgets a setting. */
    public static final class Forgetful {
        private int size;
        private boolean daemon;

        public Forgetful() {
        }

        public Forgetful(Forgetful other) {
            size = other.size;
            daemon = other.daemon;
        }

        public Forgetful size(int size) {
            this.size = size;
            return this;
        }

        public int size() {
            return size;
        }

        public Forgetful daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        public boolean daemon() {
            return daemon;
        }

        @Override
        public String toString() {
            return "OptionsStyleTest.Forgetful[size=" + size + "]";
        }
    }

    /** A copy that shares its list with the original. */
    public static final class SharedCopy {
        private ArrayList<String> tags = new ArrayList<>();

        public SharedCopy() {
        }

        public SharedCopy(SharedCopy other) {
            tags = other.tags;
        }

        public SharedCopy tags(String t) {
            tags.add(t);
            return this;
        }

        public List<String> tags() {
            return List.copyOf(tags);
        }

        @Override
        public String toString() {
            return "OptionsStyleTest.SharedCopy[tags=" + tags + "]";
        }
    }

    @Test
    void shouldPassAClassWrittenInTheStyle() {
        OptionsStyle.check(Good.class, new Good().size(8).tags("a"));
    }

    @Test
    void shouldNameAMissingGetter() {
        assertFails("NoGetter.size(...) has no getter size()", () -> OptionsStyle.check(NoGetter.class,
                new NoGetter().size(3)));
    }

    @Test
    void shouldNameADefaultConstantThatLies() {
        assertFails("DEFAULT_SIZE must be what size() returns by default",
                () -> OptionsStyle.check(LyingDefault.class, new LyingDefault().size(9)));
    }

    @Test
    void shouldNameASettingMissingFromToString() {
        assertFails("toString must name the setting daemon",
                () -> OptionsStyle.check(Forgetful.class, new Forgetful().size(9)));
    }

    @Test
    void shouldNameAMutableFieldSharedByACopy() {
        assertFails("a copy must not share the mutable field tags",
                () -> OptionsStyle.check(SharedCopy.class, new SharedCopy().tags("x")));
    }

    private static void assertFails(String expected, org.junit.jupiter.api.function.Executable check) {
        AssertionError e = assertThrows(AssertionError.class, check);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
