package org.multiproc4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** What a child inherits from its parent's settings, and what it does not unless asked. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChildSettingsIT {
    private static final String OURS = "multiproc4j.test.inheritedSetting";
    private static final String THEIRS = "mp4j.test.notInherited";

    @AfterEach
    void clear() {
        System.clearProperty(OURS);
        System.clearProperty(THEIRS);
        JvmProcess.discardSpares();
    }

    @Test
    void shouldPassEveryMultiproc4jPropertyButNoOtherToTheChild() throws Exception {
        for (StartMethod method : StartMethod.values()) {
            System.setProperty(OURS, "a value with spaces, = and \"quotes\"");
            System.setProperty(THEIRS, "the user's own");
            JvmProcess.Options options = new JvmProcess.Options().startMethod(method);
            assertEquals("a value with spaces, = and \"quotes\" null", JvmProcess.call(
                    () -> System.getProperty(OURS) + " " + System.getProperty(THEIRS), options).get(Timeouts.MEDIUM),
                    method.toString());
            System.setProperty(OURS, "changed");
            assertEquals("changed", JvmProcess.call(() -> System.getProperty(OURS), options).get(Timeouts.MEDIUM),
                    method + ": the value at start(), not a spare's older one");
            assertEquals("mine the user's own", JvmProcess.call(
                    () -> System.getProperty(OURS) + " " + System.getProperty(THEIRS),
                    new JvmProcess.Options().startMethod(method).jvmOptions("-D" + OURS + "=mine",
                            "-D" + THEIRS + "=" + System.getProperty(THEIRS))).get(Timeouts.MEDIUM),
                    method + ": Options.jvmOptions passes others, and wins over the inherited value");
            assertEquals("null", JvmProcess.call(() -> String.valueOf(System.getProperty(
                    org.multiproc4j.core.internal.Spares.IDLE_PIDS_PROP)), options).get(Timeouts.MEDIUM),
                    method + ": multiproc4j's internal bookkeeping stays in the parent");
        }
    }
}
