package org.multiproc4j.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.spi.ChildWarmUp;
import org.multiproc4j.test.LeakCheck;

/** The manager's spare warm-up: its class list is current, its steps run and are found, its rehearsal leaves nothing. */
@ExtendWith(LeakCheck.class)
class ManagerWarmUpTest {

    @Test
    void everyListedClassExists() throws Exception {
        ClassLoader loader = ManagerWarmUp.class.getClassLoader();
        for (String name : ManagerWarmUp.CLASSES) {
            assertEquals(name, Class.forName(name, false, loader).getName()); // throws if renamed or removed
        }
    }

    @Test
    void theRehearsalStartsAServerThatAnswersReadyAndLeavesNothing() throws Exception {
        Object[] answer = ManagerWarmUp.rehearseServer();
        assertEquals("ready", answer[0]);
        java.nio.file.Path socket = ((java.net.UnixDomainSocketAddress) answer[1]).getPath();
        assertFalse(java.nio.file.Files.exists(socket.getParent()), "the rehearsal's directory is left: " + socket);
        assertNull(Server.local((java.net.SocketAddress) answer[1]), "the rehearsal's server is still open");
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertFalse(t.getName().startsWith("multiproc4j-manager-rehearsal"), "its thread is left: " + t.getName());
        }
        // LeakCheck: the pipe's segments are unlinked
    }

    @Test
    void onlyAServersClassIsRehearsed() throws Exception {
        new ManagerWarmUp().rehearse("org.example.SomethingElse"); // returns at once, nothing opened
        new ManagerWarmUp().rehearse(ServerMain.Task.class.getName());
    }

    @Test
    void theServiceLoaderFindsEveryStepAndEachRuns() throws Exception {
        List<String> found = new ArrayList<>();
        for (ChildWarmUp w : ServiceLoader.load(ChildWarmUp.class, ManagerWarmUp.class.getClassLoader())) {
            if (w.getClass().getName().startsWith(ManagerWarmUp.class.getName())) {
                found.add(w.getClass().getSimpleName());
                w.warmUp(); // a step that throws fails here; in a spare it would be ignored and do nothing
            }
        }
        assertEquals(List.of("ManagerWarmUp", "Handshake", "Sockets", "Proxies"), found);
        assertTrue(Server.methods(java.util.List.class).containsKey("size()"), "the list's method table is made");
    }
}
