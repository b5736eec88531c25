package org.multiproc4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * Starts a child from a Surefire test JVM, whose classpath Surefire may hide in a manifest-only jar:
 * users run their own tests this way. (A unit test on purpose, so Surefire, not Failsafe, runs it.)
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JvmProcessUnderSurefireTest {

    @Test
    void shouldStartAChildFromASurefireClasspath() throws Exception {
        String marker = "from a test class: " + getClass().getSimpleName();
        assertEquals(marker, JvmProcess.call(() -> marker + "").get(Timeouts.MEDIUM));
        // a task that only the test classpath can decode (its captured value is a test class)
        FileCounterFree value = new FileCounterFree(5);
        assertEquals(25, JvmProcess.call(() -> value.n * value.n).get(Timeouts.MEDIUM));
    }

    /** A serializable test-only type: the child must find it on the classpath it was given. */
    record FileCounterFree(int n) implements java.io.Serializable {
    }
}
