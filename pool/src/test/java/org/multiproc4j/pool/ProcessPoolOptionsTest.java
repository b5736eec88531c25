package org.multiproc4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.codec.Codecs;
import org.multiproc4j.test.OptionsStyle;

/** ProcessPool.Options follows the one options style and checks its settings. */
class ProcessPoolOptionsTest {

    @Test
    void shouldFollowTheOptionsStyle() throws Exception {
        ProcessPool.Options o = new ProcessPool.Options().workers(3).tasksPerWorker(5).maxInFlight(7)
                .initializer(() -> { }).codec(Codecs.jdk()).workerOptions(new JvmProcess.Options().maxHeap("64m"));
        OptionsStyle.check(ProcessPool.Options.class, o);
        ProcessPool.Options copy = new ProcessPool.Options(o);
        assertEquals(3, copy.workers().getAsInt());
        assertEquals(5, copy.tasksPerWorker().getAsInt());
        assertEquals(7, copy.maxInFlight());
        assertEquals("64m", copy.workerOptions().maxHeap().orElseThrow());
    }

    @Test
    void shouldNotLetACallerChangeTheWorkerOptionsThroughTheGetter() {
        ProcessPool.Options o = new ProcessPool.Options().workerOptions(new JvmProcess.Options().maxHeap("64m"));
        o.workerOptions().maxHeap("1g");
        assertEquals("64m", o.workerOptions().maxHeap().orElseThrow());
        ProcessPool.Options copy = new ProcessPool.Options(o);
        copy.workerOptions().maxHeap("2g");
        assertEquals("64m", copy.workerOptions().maxHeap().orElseThrow());
    }

    @Test
    void shouldHaveDefaultsANewcomerNeverTouches() {
        ProcessPool.Options o = new ProcessPool.Options();
        assertTrue(o.workers().isEmpty());
        assertTrue(o.tasksPerWorker().isEmpty());
        assertTrue(o.initializer().isEmpty());
        assertTrue(o.codec().isEmpty());
        assertEquals(ProcessPool.Options.DEFAULT_MAX_IN_FLIGHT, o.maxInFlight());
        assertTrue(o.toString().startsWith("ProcessPool.Options[workers=default, initializer=default"), o.toString());
    }

    @Test
    void shouldRefuseBadValuesNamingTheSetting() {
        ProcessPool.Options o = new ProcessPool.Options();
        assertEquals("workers must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> o.workers(0)).getMessage());
        assertEquals("tasksPerWorker must be at least 1, got -1",
                assertThrows(IllegalArgumentException.class, () -> o.tasksPerWorker(-1)).getMessage());
        assertEquals("maxInFlight must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> o.maxInFlight(0)).getMessage());
        assertThrows(NullPointerException.class, () -> o.workerOptions(null));
        assertThrows(IllegalArgumentException.class, () -> o.codec(new org.multiproc4j.core.codec.Codec() {
            @Override
            public byte[] encode(Object value) {
                return new byte[0];
            }

            @Override
            public int encode(Object value, org.multiproc4j.core.codec.CodecBuffer out) {
                return 0;
            }

            @Override
            public int encode(Object value, java.nio.ByteBuffer target) {
                return 0;
            }

            @Override
            public Object decode(byte[] bytes, int offset, int length) {
                return null;
            }

            @Override
            public Object decode(java.nio.ByteBuffer source) {
                return null;
            }
        }));
    }

    @Test
    void shouldChunkAsPythonDoes() {
        assertEquals(1, ProcessPool.defaultChunkSize(10, 4));
        assertEquals(3, ProcessPool.defaultChunkSize(17, 2));
        assertEquals(125_000, ProcessPool.defaultChunkSize(1_000_000, 2));
        assertEquals(1, ProcessPool.defaultChunkSize(0, 2));
    }
}
