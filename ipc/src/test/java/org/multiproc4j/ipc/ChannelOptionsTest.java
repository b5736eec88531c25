package org.multiproc4j.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.multiproc4j.core.codec.Codecs;
import org.multiproc4j.sharedmem.IdlePolicy;
import org.multiproc4j.test.OptionsStyle;

/** {@link ChannelOptions}: defaults, getters, copies, and the messages of bad values. */
class ChannelOptionsTest {

    @Test
    void shouldFollowTheOptionsStyle() {
        OptionsStyle.check(ChannelOptions.class, new ChannelOptions().capacity(65536).idle(IdlePolicy.busySpin())
                .codec(Codecs.jdk("java.base/*;!*")));
    }

    @Test
    void shouldTellItsDefaults() {
        ChannelOptions o = new ChannelOptions();
        assertEquals(OptionalInt.empty(), o.capacity());
        assertEquals(IdlePolicy.defaultPolicy().toString(), o.idle().toString());
        assertEquals(Codecs.jdk().toString(), o.codec().toString());
        assertTrue(o.toString().startsWith("ChannelOptions[capacity=default, "), o.toString());
        assertEquals(1 << 20, o.capacityOr(1 << 20));
    }

    @Test
    void shouldRoundTheCapacityUpToAPowerOfTwo() {
        assertEquals(OptionalInt.of(8192), new ChannelOptions().capacity(5000).capacity());
        assertEquals(OptionalInt.of(4096), new ChannelOptions().capacity(ChannelOptions.MIN_CAPACITY).capacity());
        assertEquals(8192, new ChannelOptions().capacity(8192).capacityOr(1 << 20));
    }

    @Test
    void shouldCopyIndependently() {
        ChannelOptions original = new ChannelOptions().capacity(65536);
        ChannelOptions copy = new ChannelOptions(original).capacity(1 << 20).idle(IdlePolicy.yielding());
        assertEquals(OptionalInt.of(65536), original.capacity());
        assertEquals(IdlePolicy.defaultPolicy().toString(), original.idle().toString());
        assertEquals(OptionalInt.of(1 << 20), copy.capacity());
    }

    /** A codec that is not serializable is refused too: see {@code PipeTest}. */
    @Test
    void shouldNameTheSettingAndTheValueOfABadArgument() {
        ChannelOptions o = new ChannelOptions();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.capacity(100));
        assertEquals("capacity must be between 4096 and 1073741824 bytes, got 100", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> o.capacity(Integer.MAX_VALUE));
        assertEquals("capacity must be between 4096 and 1073741824 bytes, got 2147483647", e.getMessage());
        assertEquals(OptionalInt.empty(), o.capacity(), "a rejected call changes nothing");
        NullPointerException n = assertThrows(NullPointerException.class, () -> o.idle(null));
        assertEquals("idle", n.getMessage());
        n = assertThrows(NullPointerException.class, () -> o.codec(null));
        assertEquals("codec", n.getMessage());
    }
}
