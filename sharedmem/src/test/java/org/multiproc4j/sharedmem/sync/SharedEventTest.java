package org.multiproc4j.sharedmem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.test.LeakCheck;

@ExtendWith(LeakCheck.class)
@Timeout(60)
class SharedEventTest {

    @Test
    void shouldReleaseWaitersWhenSet() throws Exception {
        try (SharedEvent event = SharedEvent.create(); SharedEvent other = SharedEvent.attach(event.name())) {
            assertFalse(event.isSet());
            assertFalse(event.await(Duration.ofMillis(20)));
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    other.await();
                    return true;
                } catch (InterruptedException e) {
                    return false;
                }
            });
            Thread.sleep(20);
            assertFalse(waiter.isDone());
            event.set();
            assertTrue(waiter.get());
            assertTrue(other.isSet());
            assertTrue(other.await(Duration.ZERO));
            other.clear();
            assertFalse(event.isSet());
            assertEquals("SharedEvent[" + event.name() + ", clear]", event.toString());
        }
    }
}
