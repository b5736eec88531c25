package org.multiproc4j.benchmarks.sidebyside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The MPI workload's rows and targets: every row under mpirun has a prefix of its own, and each native row is held
 * to the C floor at its own thread level.
 */
class MpiWorkloadTest {
    @Test
    void shouldGiveEveryJobRowItsOwnPrefixAndNoFlagThatMpirunRewrites() {
        Set<String> seen = new HashSet<>();
        for (MpiWorkload.JobRow r : MpiWorkload.JOB_ROWS) {
            String key = r.prefix().isEmpty() ? r.runner() + " " + r.args() : r.prefix();
            assertTrue(seen.add(key), "two rows write " + key);
            for (String f : r.jvmFlags()) {
                assertFalse(f.contains("cp"), "mpirun rewrites a java command line with \"cp\" in " + f);
            }
        }
    }

    @Test
    void shouldRunTheNativeSingleRowAtSingleAndTheCMultipleRowWithItsArgument() {
        MpiWorkload.JobRow single = row("native_single_");
        assertTrue(single.jvmFlags().contains("-Dmultiproc4j.mpi.native.threads=single"), single.toString());
        assertTrue(single.jvmFlags().contains(MpiWorkload.NATIVE_BACKEND), single.toString());
        MpiWorkload.JobRow nativeDefault = row("native_");
        assertFalse(nativeDefault.jvmFlags().stream().anyMatch(f -> f.contains(".threads=")), nativeDefault.toString());
        assertEquals(List.of("multiple"), row("c_multiple_").args());
        assertEquals(List.of(), row("c_").args());
    }

    @Test
    void shouldCompareEachNativeRowWithTheCFloorAtItsLevel() {
        List<Target> targets = new MpiWorkload().targets();
        int multiple = 0;
        int single = 0;
        for (Target t : targets) {
            String num = t.numerator().metric();
            String den = t.denominator().metric();
            if (num.startsWith("native_single_")) {
                single++;
                assertEquals("c_" + num.substring("native_single_".length()), den, t.label());
                assertTrue(t.label().contains("single"), t.label());
            } else if (num.startsWith("native_")) {
                multiple++;
                assertEquals("c_multiple_" + num.substring("native_".length()), den, t.label());
                assertTrue(t.label().contains("MULTIPLE"), t.label());
            }
        }
        assertEquals(5, multiple);
        assertEquals(5, single);
    }

    @Test
    void shouldLabelFloorTargetsWithRowLimitAndFloor() {
        List<Target> t = MpiWorkload.floorTargets("openmpi (single)", "openmpi_single_", "raw bindings",
                "raw_direct_", "issue 14", new String[] {"8 B one-way", "pingpong_oneway_8B_us", "1.1"});
        assertEquals(1, t.size());
        assertEquals("openmpi (single) 8 B one-way ≤ 1.1× raw bindings", t.get(0).label());
        assertEquals("openmpi_single_pingpong_oneway_8B_us", t.get(0).numerator().metric());
        assertEquals("raw_direct_pingpong_oneway_8B_us", t.get(0).denominator().metric());
        assertEquals(1.1, t.get(0).limit());
    }

    private static MpiWorkload.JobRow row(String prefix) {
        return MpiWorkload.JOB_ROWS.stream().filter(r -> r.prefix().equals(prefix)).findFirst().orElseThrow();
    }
}
