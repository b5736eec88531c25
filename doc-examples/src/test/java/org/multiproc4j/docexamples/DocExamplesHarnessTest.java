package org.multiproc4j.docexamples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Exclusions, class names, API packages and the classpath check of {@link DocExamplesIT}. */
class DocExamplesHarnessTest {
    static final Path ROOT = Path.of("/project");

    static DocExample at(String file, String pkg) {
        return new DocExample(Path.of(file), 12, "java", "int x = 1;", null, List.of(), pkg);
    }

    @Test
    void shouldMatchAnExclusionByClassOrByPackageAndBelow() {
        List<String> exclusions = List.of("org.multiproc4j.sharedmem.SharedInt", "org.multiproc4j.ipc.durable.*");
        assertEquals("org.multiproc4j.sharedmem.SharedInt", DocExamplesHarness.exclusion(
                at("sharedmem/target/generated-sources/typed/org/multiproc4j/sharedmem/SharedInt.java",
                        "org.multiproc4j.sharedmem"), exclusions));
        assertNull(DocExamplesHarness.exclusion(at("sharedmem/src/main/java/org/multiproc4j/sharedmem/SharedIntArray.java",
                "org.multiproc4j.sharedmem"), exclusions));
        assertEquals("org.multiproc4j.ipc.durable.*", DocExamplesHarness.exclusion(
                at("ipc-durable/src/main/java/org/multiproc4j/ipc/durable/internal/package-info.java",
                        "org.multiproc4j.ipc.durable.internal"), exclusions));
        assertNull(DocExamplesHarness.exclusion(at("README.md", null), exclusions));
    }

    @Test
    void shouldNameAClassAfterTheExamplesFileAndLine() {
        assertEquals("core_core_codec_package_info_L12", DocExamplesHarness.className(
                at("core/src/main/java/org/multiproc4j/core/codec/package-info.java", "org.multiproc4j.core.codec")));
        assertEquals("mpi_bridge_mpi_Comm_L12", DocExamplesHarness.className(
                at("mpi-bridge/src/main/java/org/multiproc4j/mpi/Comm.java", "org.multiproc4j.mpi")));
        assertEquals("README_md_L12", DocExamplesHarness.className(at("README.md", null)));
    }

    @Test
    void shouldImportOnlyTheApi() {
        assertTrue(DocExamplesHarness.isApi("org.multiproc4j.ipc.net"));
        assertFalse(DocExamplesHarness.isApi("org.multiproc4j.ipc.net.internal"));
        assertFalse(DocExamplesHarness.isApi("org.multiproc4j.internal"));
        assertFalse(DocExamplesHarness.isApi("org.multiproc4j.benchmarks.support"));
        assertFalse(DocExamplesHarness.isApi("org.multiproc4j.examples.multiprocessing"));
        assertFalse(DocExamplesHarness.isApi("org.multiproc4j.test"));
    }

    @Test
    void shouldNameTheModulesWithExamplesThatAreNotOnTheClasspath() {
        List<DocExample> examples = List.of(at("core/src/main/java/org/multiproc4j/core/JvmProcess.java", "org.multiproc4j.core"),
                at("ipc-durable/src/main/java/org/multiproc4j/ipc/durable/DurableQueue.java", "org.multiproc4j.ipc.durable"),
                at("README.md", null));
        List<String> classpath = List.of("/project/core/target/classes", "/project/ipc/target/multiproc4j-ipc.jar", "");
        assertEquals(List.of("ipc-durable"), DocExamplesHarness.modulesMissingFromClasspath(ROOT, examples, classpath));
    }
}
