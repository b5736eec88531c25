package org.multiproc4j.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.multiproc4j.core.spi.ChildWarmUp;

/** The manager's spare warm-up: its class list is current, and its steps run and are found. */
class ManagerWarmUpTest {

    @Test
    void everyListedClassExists() throws Exception {
        ClassLoader loader = ManagerWarmUp.class.getClassLoader();
        for (String name : ManagerWarmUp.CLASSES) {
            assertEquals(name, Class.forName(name, false, loader).getName()); // throws if renamed or removed
        }
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
