package org.multiproc4j.mpi.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The ranks' JVM options: the launcher's default collector and young generation, and the user's choice winning. */
class MpiLauncherTest {

    @Test
    void shouldGiveRanksTheDefaultCollectorBeforeTheUsersOptions() {
        assertEquals(List.of(MpiLauncher.DEFAULT_GC, MpiLauncher.DEFAULT_YOUNG, "-Xss2m", "-XX:+UseGCOverheadLimit"),
                MpiLauncher.rankJvmOptions(List.of("-Xss2m", "-XX:+UseGCOverheadLimit"),
                        Map.of("JAVA_TOOL_OPTIONS", "-Dx=1")));
    }

    @Test
    void shouldLeaveTheCollectorToTheUserWhoChoseOne() {
        assertEquals(List.of("-XX:+UseG1GC"), MpiLauncher.rankJvmOptions(List.of("-XX:+UseG1GC"), Map.of()));
        assertEquals(List.of("-XX:-UseParallelGC", "-XX:+UseZGC"),
                MpiLauncher.rankJvmOptions(List.of("-XX:-UseParallelGC", "-XX:+UseZGC"), Map.of()));
        // the JVM refuses two collectors, so one chosen in the environment the ranks inherit counts too
        for (String var : new String[] {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"}) {
            assertEquals(List.of("-Xss2m"),
                    MpiLauncher.rankJvmOptions(List.of("-Xss2m"), Map.of(var, " -Dx=1  -XX:+UseSerialGC ")), var);
        }
    }

    @Test
    void shouldLeaveTheYoungGenerationToTheUserWhoSizedTheHeap() {
        for (String sizing : new String[] {"-Xmx16m", "-Xms1g", "-Xmn8m", "-XX:NewSize=8m", "-XX:MaxNewSize=8m",
                "-XX:NewRatio=3", "-XX:MaxHeapSize=1g", "-XX:MaxRAMPercentage=10"}) {
            assertEquals(List.of(MpiLauncher.DEFAULT_GC, sizing), MpiLauncher.rankJvmOptions(List.of(sizing), Map.of()),
                    sizing);
            assertEquals(List.of(MpiLauncher.DEFAULT_GC),
                    MpiLauncher.rankJvmOptions(List.of(), Map.of("JDK_JAVA_OPTIONS", sizing)), sizing);
        }
    }
}
