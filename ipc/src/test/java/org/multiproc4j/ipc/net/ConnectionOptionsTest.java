package org.multiproc4j.ipc.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.multiproc4j.core.codec.Codecs;
import org.multiproc4j.ipc.net.internal.FrameChannel;
import org.multiproc4j.test.OptionsStyle;

/** {@link ConnectionOptions}: defaults, getters, copies, and the messages of bad values. */
class ConnectionOptionsTest {

    @Test
    void shouldFollowTheOptionsStyle() {
        OptionsStyle.check(ConnectionOptions.class, new ConnectionOptions().handshakeTimeout(Duration.ofSeconds(1))
                .maxMessageSize(1000).codec(Codecs.jdk("java.base/*;!*")).backlog(7));
    }

    @Test
    void shouldTellItsDefaults() {
        ConnectionOptions o = new ConnectionOptions();
        assertEquals(Duration.ofSeconds(5), o.handshakeTimeout());
        assertEquals(128 << 20, o.maxMessageSize());
        assertEquals(128, o.backlog());
        assertEquals(Codecs.jdk().toString(), o.codec().toString());
    }

    @Test
    void shouldCopyIndependently() {
        ConnectionOptions original = new ConnectionOptions().backlog(3);
        ConnectionOptions copy = new ConnectionOptions(original).backlog(9).maxMessageSize(10);
        assertEquals(3, original.backlog());
        assertEquals(ConnectionOptions.DEFAULT_MAX_MESSAGE_SIZE, original.maxMessageSize());
        assertEquals(9, copy.backlog());
    }

    @Test
    void shouldNameTheSettingAndTheValueOfABadArgument() {
        ConnectionOptions o = new ConnectionOptions();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> o.handshakeTimeout(Duration.ZERO));
        assertEquals("handshakeTimeout must be positive, got PT0S", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> o.maxMessageSize(0));
        assertEquals("maxMessageSize must be between 1 and " + FrameChannel.MAX_PAYLOAD + " bytes, got 0",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> o.backlog(-2));
        assertEquals("backlog must be positive, got -2", e.getMessage());
        NullPointerException n = assertThrows(NullPointerException.class, () -> o.handshakeTimeout(null));
        assertEquals("handshakeTimeout", n.getMessage());
        n = assertThrows(NullPointerException.class, () -> o.codec(null));
        assertEquals("codec", n.getMessage());
        assertEquals(ConnectionOptions.DEFAULT_BACKLOG, o.backlog(), "a rejected call changes nothing");
    }
}
