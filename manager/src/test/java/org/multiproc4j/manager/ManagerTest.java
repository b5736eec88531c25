package org.multiproc4j.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.multiproc4j.test.OptionsStyle;

/** What a manager checks before any process is started. */
class ManagerTest {

    @Test
    void optionsFollowTheOptionsStyle() {
        OptionsStyle.check(Manager.Options.class, new Manager.Options().sharedMemory(false)
                .startTimeout(Duration.ofSeconds(5)).authkey(new byte[] {1, 2, 3})
                .address(new InetSocketAddress("127.0.0.1", 0)));
    }

    @Test
    void optionsRefuseBadValuesNamingThem() {
        Manager.Options o = new Manager.Options();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.authkey(new byte[0]));
        assertEquals("authkey must not be empty, got 0 bytes", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> o.startTimeout(Duration.ZERO));
        assertEquals("startTimeout must be positive, got PT0S", e.getMessage());
        assertThrows(NullPointerException.class, () -> o.startTimeout(null));
        assertEquals(Manager.Options.DEFAULT_START_TIMEOUT, o.startTimeout());
    }

    @Test
    void addressesParseAndFormatBothWays() {
        assertEquals(UnixDomainSocketAddress.of(Path.of("/tmp/m.sock")), Manager.parseAddress("unix:/tmp/m.sock"));
        assertEquals(new InetSocketAddress("127.0.0.1", 5000), Manager.parseAddress("127.0.0.1:5000"));
        assertEquals("127.0.0.1:5000", Manager.formatAddress(new InetSocketAddress("127.0.0.1", 5000)));
        assertEquals("unix:/tmp/m.sock", Manager.formatAddress(UnixDomainSocketAddress.of("/tmp/m.sock")));
        assertEquals(new InetSocketAddress("::1", 7), Manager.parseAddress(Manager.formatAddress(
                new InetSocketAddress("::1", 7))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Manager.parseAddress("nowhere"));
        assertEquals("a manager's address is host:port or unix:/path, got 'nowhere'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Manager.parseAddress("host:port"));
        assertTrue(e.getMessage().contains("not a number"), e.getMessage());
    }

    @Test
    void connectingToNothingFailsClearly() {
        ManagerException e = assertThrows(ManagerException.class, () -> Manager.connect(
                UnixDomainSocketAddress.of("/tmp/multiproc4j-no-such-manager.sock"), new byte[] {1}));
        assertTrue(e.getMessage().startsWith("cannot reach the manager at /tmp/multiproc4j-no-such-manager.sock"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Manager.connect(
                UnixDomainSocketAddress.of("/tmp/x.sock"), new byte[0]));
    }
}
