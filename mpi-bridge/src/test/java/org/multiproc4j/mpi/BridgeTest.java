package org.multiproc4j.mpi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.mpi.contract.CommContract;
import org.multiproc4j.mpi.launch.MpiLauncher;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.OptionsStyle;

/** The bridge's values (Blocks, Buf, Op, Status, options) and a job of one rank in this JVM. */
@ExtendWith(LeakCheck.class)
class BridgeTest {

    @Test
    void shouldSplitEvenlyWithTheFirstRanksGettingOneMore() {
        Blocks b = Blocks.even(15, 4);
        assertArrayEquals(new int[] {4, 4, 4, 3}, b.counts());
        assertArrayEquals(new int[] {0, 4, 8, 12}, b.displs());
        assertEquals(Blocks.even(15, 4), b);
        assertArrayEquals(new int[] {0, 0, 0}, Blocks.even(0, 3).counts());
        assertThrows(IllegalArgumentException.class, () -> Blocks.even(3, 0));
        assertThrows(IllegalArgumentException.class, () -> new Blocks(new int[2], new int[3]));
    }

    @Test
    void shouldNameRunsOfArraysAndDirectBuffers() {
        double[] d = new double[10];
        Buf part = Buf.of(d, 2, 5);
        assertEquals(ElementType.DOUBLE, part.type());
        assertEquals(40, part.byteCount());
        assertEquals(3, part.slice(1, 3).offset());
        assertThrows(IndexOutOfBoundsException.class, () -> part.slice(4, 2));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> Buf.of(new int[3], 2, 2));
        assertTrue(e.getMessage().contains("offset 2 and count 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Buf.of(ByteBuffer.allocate(8), ElementType.BYTE, 0, 8));
        assertEquals(2, Buf.of(ByteBuffer.allocateDirect(16), ElementType.LONG, 0, 2).count());
        assertThrows(IllegalArgumentException.class, () -> Buf.ofArray(new Object[1]));
        assertEquals(ElementType.CHAR, Buf.ofArray(new char[1]).type());
    }

    @Test
    void shouldApplyOpsElementWiseAndRefuseTypesTheyDoNotFit() {
        int[] acc = {1, 2, 3};
        Op.SUM.apply(ElementType.INT, acc, 0, new int[] {10, 20, 30}, 0, 3);
        assertArrayEquals(new int[] {11, 22, 33}, acc);
        byte[] bytes = {(byte) 0xF0};
        Op.BXOR.apply(ElementType.BYTE, bytes, 0, new byte[] {(byte) 0xFF}, 0, 1);
        assertEquals(0x0F, bytes[0]);
        assertFalse(Op.BAND.supports(ElementType.DOUBLE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Op.LAND.apply(ElementType.FLOAT, new float[1], 0, new float[1], 0, 1));
        assertTrue(e.getMessage().contains("LAND does not apply to FLOAT"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Op.MINLOC.apply(ElementType.DOUBLE, new double[3], 0, new double[3], 0, 3));
        double[] loc = {5, 1};
        Op.MAXLOC.apply(ElementType.DOUBLE, loc, 0, new double[] {7, 0}, 0, 2);
        assertArrayEquals(new double[] {7, 0}, loc);
    }

    @Test
    void shouldCountElementsOfAStatus() {
        Status s = new Status(1, 2, 24, ElementType.INT);
        assertEquals(6, s.count(ElementType.INT));
        assertEquals(3, s.count(ElementType.DOUBLE));
        assertThrows(MpiException.class, () -> new Status(0, 0, 6, null).count(ElementType.INT));
    }

    @Test
    void launcherOptionsFollowTheOptionsStyle() {
        OptionsStyle.check(MpiLauncher.Options.class, new MpiLauncher.Options().prefixOutput(true)
                .jvmOptions("-Xss2m").extraClasspath(Path.of("app.jar")).ringCapacity(1 << 16));
        assertThrows(IllegalArgumentException.class, () -> new MpiLauncher.Options().ringCapacity(5000));
        assertThrows(IllegalArgumentException.class, () -> new MpiLauncher.Options().jvmOptions("Xss2m"));
    }

    @Test
    void shouldKeepTheWholeContractAsAJobOfOneRankInThisJvm() throws Exception {
        try (Mpi mpi = Mpi.init(new String[0])) {
            assertEquals("local", mpi.backend());
            assertEquals(1, mpi.world().size());
            assertEquals(1, mpi.self().size());
            assertThrows(IllegalStateException.class, () -> Mpi.init(new String[0]));
            for (var c : CommContract.CASES.entrySet()) {
                c.getValue().run(mpi.world());
            }
            assertEquals(List.of(0), mpi.self().allgather(0));
        }
    }

    @Test
    void shouldRefuseAnUnknownForcedBackend() {
        System.setProperty(Mpi.BACKEND_PROP, "nosuch");
        try {
            MpiException e = assertThrows(MpiException.class, () -> Mpi.init(new String[0]));
            assertTrue(e.getMessage().contains("unknown backend 'nosuch'") && e.getMessage().contains("local"),
                    e.getMessage());
        } finally {
            System.clearProperty(Mpi.BACKEND_PROP);
        }
    }
}
