package org.multiproc4j.mpi.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The ranks' JVM options: the launcher's default collector, and the user's choice winning over it. */
class MpiLauncherTest {

    @Test
    void shouldGiveRanksTheDefaultCollectorBeforeTheUsersOptions() {
        assertEquals(List.of(MpiLauncher.DEFAULT_GC, "-Xmx1g", "-XX:+UseGCOverheadLimit"),
                MpiLauncher.rankJvmOptions(List.of("-Xmx1g", "-XX:+UseGCOverheadLimit"),
                        Map.of("JAVA_TOOL_OPTIONS", "-Xss2m")));
    }

    @Test
    void shouldLeaveTheCollectorToTheUserWhoChoseOne() {
        assertEquals(List.of("-XX:+UseG1GC"), MpiLauncher.rankJvmOptions(List.of("-XX:+UseG1GC"), Map.of()));
        assertEquals(List.of("-XX:-UseParallelGC", "-XX:+UseZGC"),
                MpiLauncher.rankJvmOptions(List.of("-XX:-UseParallelGC", "-XX:+UseZGC"), Map.of()));
        // the JVM refuses two collectors, so one chosen in the environment the ranks inherit counts too
        for (String var : new String[] {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"}) {
            assertEquals(List.of("-Xmx1g"),
                    MpiLauncher.rankJvmOptions(List.of("-Xmx1g"), Map.of(var, " -Xss2m  -XX:+UseSerialGC ")), var);
        }
    }
}
