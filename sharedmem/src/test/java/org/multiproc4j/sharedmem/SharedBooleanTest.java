package org.multiproc4j.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.test.LeakCheck;

@ExtendWith(LeakCheck.class)
class SharedBooleanTest {

    @Test
    void shouldSetAndCompareAndSet() {
        try (SharedBoolean b = SharedBoolean.create(false); SharedBoolean other = SharedBoolean.attach(b.name())) {
            assertFalse(b.get());
            other.set(true);
            assertTrue(b.get());
            assertTrue(b.getAndSet(false));
            assertFalse(other.compareAndSet(true, true));
            assertTrue(other.compareAndSet(false, true));
            assertEquals("true", b.toString());
        }
    }

    @Test
    void shouldRefuseAnIntSegment() {
        try (SharedInt i = SharedInt.create(1)) {
            assertEquals("cannot attach " + i.name() + " as a SharedBoolean: it holds a shared int value",
                    assertThrows(SharedMemoryException.class, () -> SharedBoolean.attach(i.name())).getMessage());
        }
    }
}
