package org.multiproc4j.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.test.Timeouts;

/** Waiting for the child JVMs of a test. */
final class Children {
    private Children() {
    }

    /** Joins every child (each has a scaled 150 s) and asserts it succeeded, with its failure if not. */
    static void joinAll(List<JvmProcess> children) throws InterruptedException {
        for (JvmProcess c : children) {
            assertTrue(c.join(Timeouts.scaled(Duration.ofSeconds(150))), c + " did not finish");
            assertEquals(0, c.exitCode(), c + " failed: " + c.failure());
        }
    }
}
