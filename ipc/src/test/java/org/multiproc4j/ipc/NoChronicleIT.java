package org.multiproc4j.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * {@code multiproc4j-ipc} carries no Chronicle Queue (it is in {@code multiproc4j-ipc-durable}): not on this
 * module's test classpath, not in a child JVM started from it, and none of Chronicle's JVM flags either, which
 * children get only from the durable module's {@code JvmOptionsProvider}. (The build's enforcer also bans
 * Chronicle, JNA and jnr from ipc's dependency tree.)
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NoChronicleIT {
    private static final String CHRONICLE_QUEUE = "net.openhft.chronicle.queue.ChronicleQueue";

    @Test
    void shouldNotHaveChronicleOnTheClasspath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName(CHRONICLE_QUEUE));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.sun.jna.Native"));
    }

    @Test
    void shouldStartChildrenWithoutChronicleOrItsFlags() throws Exception {
        List<String> got = JvmProcess.call(() -> {
            String loadable;
            try {
                Class.forName(CHRONICLE_QUEUE);
                loadable = "chronicle loadable";
            } catch (ClassNotFoundException e) {
                loadable = "no chronicle";
            }
            return List.of(loadable, String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        }).get(Timeouts.LONG);
        assertEquals("no chronicle", got.get(0));
        String args = got.get(1);
        // the flag sharedmem contributes is there: the child's arguments are what we think they are
        assertTrue(args.contains("java.base/jdk.internal.misc=ALL-UNNAMED"), args);
        assertFalse(args.contains("chronicle"), args);
        assertFalse(args.contains("java.base/java.lang.reflect=ALL-UNNAMED"), args);
        assertFalse(args.contains("java.base/sun.nio.ch=ALL-UNNAMED"), args);
        assertFalse(args.contains("java.base/jdk.internal.ref=ALL-UNNAMED"), args);
        assertFalse(args.contains("slf4j"), args);
    }
}
