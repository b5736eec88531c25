package org.multiproc4j.mpi.nativempi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiproc4j.mpi.MpiException;

/** Finding {@code libmpi.so}: a missing or wrong library is a clear error naming what was looked for. */
class LibTest {

    @Test
    void shouldNameTheMissingPathAndTheProperty() {
        MpiException e = assertThrows(MpiException.class, () -> Lib.load("/nonexistent/dir/libmpi.so"));
        assertTrue(e.getMessage().contains("cannot load the MPI C library"), e.getMessage());
        assertTrue(e.getMessage().contains("/nonexistent/dir/libmpi.so (no such file)"), e.getMessage());
        assertTrue(e.getMessage().contains(Lib.LIBRARY_PROP), e.getMessage());
    }

    @Test
    void shouldRefuseAFileThatIsNotALibrary(@TempDir Path dir) throws Exception {
        Path fake = Files.writeString(dir.resolve("libmpi.so"), "not an ELF file");
        MpiException e = assertThrows(MpiException.class, () -> Lib.load(fake.toString()));
        assertTrue(e.getMessage().contains(fake + " (dlopen failed)"), e.getMessage());
    }

    @Test
    void shouldRefuseALibraryThatIsNotMpi() {
        MpiException e = assertThrows(MpiException.class, () -> Lib.load("libc.so.6"));
        assertTrue(e.getMessage().contains("libc.so.6 is not an MPI C library"), e.getMessage());
        assertTrue(e.getMessage().contains(Lib.LIBRARY_PROP), e.getMessage());
    }

    @Test
    void shouldFindOpenMpisLibraryAndItsPredefinedHandles() {
        MpiException[] failed = new MpiException[1];
        Lib lib = null;
        try {
            lib = Lib.load(null);
        } catch (MpiException e) {
            failed[0] = e;
        }
        Assumptions.assumeTrue(failed[0] == null, () -> "no Open MPI here: " + failed[0].getMessage());
        assertTrue(Lib.DEFAULT_NAMES.contains(lib.name), lib.name);
        // the handles are distinct addresses of the library's globals
        List<Long> handles = List.of(lib.commWorld.address(), lib.commSelf.address(), lib.tDouble.address(),
                lib.opSum.address());
        assertEquals(4, handles.stream().distinct().count());
        assertNotEquals(0L, lib.commWorld.address());
    }

    @Test
    void shouldGiveChildJvmsNativeAccessFromJava22() {
        NativeJvmOptions o = new NativeJvmOptions();
        assertEquals(List.of("--enable-native-access=ALL-UNNAMED"), o.jvmOptions(Runtime.Version.parse("22")));
        assertEquals(List.of(), o.jvmOptions(Runtime.Version.parse("17.0.2")));
    }

    @Test
    void shouldAskForTheThreadLevelThePropertyNames() {
        assertEquals(Lib.THREAD_MULTIPLE, NativeSession.threadLevelWanted(null));
        assertEquals(Lib.THREAD_MULTIPLE, NativeSession.threadLevelWanted("multiple"));
        assertEquals(Lib.THREAD_SERIALIZED, NativeSession.threadLevelWanted(" Serialized "));
        assertEquals(Lib.THREAD_SINGLE, NativeSession.threadLevelWanted("single"));
        MpiException e = assertThrows(MpiException.class, () -> NativeSession.threadLevelWanted("funneled"));
        assertTrue(e.getMessage().contains(NativeSession.THREADS_PROP) && e.getMessage().contains("\"funneled\""),
                e.getMessage());
    }

    @Test
    void shouldTakeMpichsAbiFromItsLibrary() {
        java.nio.file.Path mpich = java.nio.file.Path.of("/usr/lib/x86_64-linux-gnu/libmpich.so.12");
        Assumptions.assumeTrue(Files.exists(mpich), "no MPICH here (bin/setup-mpi installs it)");
        Lib lib = Lib.load(mpich.toString());
        assertTrue(lib.mpich);
        assertEquals(0x44000000L, lib.commWorld.address());
        assertEquals(0x4c00080bL, lib.tDouble.address());
        assertEquals(-2, lib.anySource);
        // MPICH's status: {count_lo, count_hi_and_cancelled, source, tag, error}; the count's high bits above the flag
        java.lang.foreign.MemorySegment st = java.lang.foreign.Arena.ofAuto().allocate(Lib.STATUS_SIZE);
        st.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 16);
        st.set(java.lang.foreign.ValueLayout.JAVA_INT, 4, 3 << 1);
        st.set(java.lang.foreign.ValueLayout.JAVA_INT, 8, 5);
        st.set(java.lang.foreign.ValueLayout.JAVA_INT, 12, 77);
        assertEquals(5, lib.statusSource(st));
        assertEquals(77, lib.statusTag(st));
        assertEquals((3L << 32) + 16, lib.statusBytes(st));
    }
}
