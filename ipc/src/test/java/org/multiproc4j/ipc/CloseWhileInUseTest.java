package org.multiproc4j.ipc;

import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.test.CloseRace;
import org.multiproc4j.test.LeakCheck;

/**
 * Closing a queue or a pipe end while threads of this JVM wait in it or call it: every one of them ends within a
 * bounded time with the documented exception ({@link IllegalStateException} for queues,
 * {@link ClosedChannelException} or its {@link java.nio.channels.AsynchronousCloseException} for pipe ends), and
 * none touches unmapped memory (which would crash the JVM and the test fork with it). Hundreds of rounds each.
 */
@ExtendWith(LeakCheck.class)
@Timeout(300)
class CloseWhileInUseTest {
    private static final int ROUNDS = 64;
    private static final Duration LONG_WAIT = Duration.ofMinutes(5);
    private static final ChannelOptions SMALL = new ChannelOptions().capacity(ChannelOptions.MIN_CAPACITY);
    private static final byte[] LARGER_THAN_RING = new byte[10 * ChannelOptions.MIN_CAPACITY];

    @Test
    void shouldWakeQueueConsumersWithIllegalStateWhenClosed() throws Exception {
        CloseRace.of("SharedQueue consumers", () -> SharedQueue.<String>create(1, SMALL))
                .user("take", SharedQueue::take)
                .user("poll(timeout)", q -> q.poll(5, TimeUnit.MINUTES))
                .user("peek+size+isEmpty", q -> {
                    q.peek();
                    q.size();
                    q.isEmpty();
                })
                .expectMessageContaining("closed")
                .rounds(ROUNDS)
                .run();
    }

    @Test
    void shouldWakeQueueProducersWithIllegalStateWhenClosed() throws Exception {
        CloseRace.of("SharedQueue producers", () -> SharedQueue.<Object>create(1, SMALL))
                .prepare(q -> q.put("fill"))                   // full: every put waits
                .user("put", q -> q.put("x"))
                .user("offer(timeout)", q -> q.offer("x", 5, TimeUnit.MINUTES))
                .user("remainingCapacity", SharedQueue::remainingCapacity)
                .expectMessageContaining("closed")
                .rounds(ROUNDS)
                .run();
        CloseRace.of("SharedQueue, a message larger than the ring", () -> SharedQueue.<Object>create(SMALL))
                .user("put(large)", q -> q.put(LARGER_THAN_RING))  // no consumer: waits with the message begun
                .expectMessageContaining("closed")
                .rounds(ROUNDS)
                .run();
    }

    @Test
    void shouldWakeJoinWithIllegalStateWhenClosed() throws Exception {
        CloseRace.of("JoinableSharedQueue", () -> JoinableSharedQueue.<String>create(0, SMALL))
                .prepare(q -> q.put("task"))                   // never done: join waits
                .user("join", JoinableSharedQueue::join)
                .user("join(timeout)", q -> q.join(LONG_WAIT))
                .user("unfinishedTasks", JoinableSharedQueue::unfinishedTasks)
                .user("take", JoinableSharedQueue::take)
                .expectMessageContaining("closed")
                .rounds(ROUNDS)
                .run();
    }

    @Test
    void shouldWakeSimpleQueueUsersWithIllegalStateWhenClosed() throws Exception {
        CloseRace.of("SimpleSharedQueue", () -> SimpleSharedQueue.<Object>create(SMALL))
                .user("take", SimpleSharedQueue::take)
                .user("poll(timeout)", q -> q.poll(LONG_WAIT))
                .user("isEmpty", SimpleSharedQueue::isEmpty)
                .expectMessageContaining("closed")
                .rounds(ROUNDS)
                .run();
        CloseRace.of("SimpleSharedQueue, a message larger than the ring", () -> SimpleSharedQueue.<Object>create(SMALL))
                .user("put(large)", q -> q.put(LARGER_THAN_RING))
                .expectMessageContaining("closed")
                .rounds(ROUNDS)
                .run();
    }

    @Test
    void shouldWakePipeReceiversWithClosedChannelWhenClosed() throws Exception {
        CloseRace.of("pipe end, receiving", () -> Pipe.open(SMALL))
                .user("recv", p -> p.first().recv())
                .user("recvBytes(timeout)", p -> p.first().recvBytes(LONG_WAIT))
                .user("recvBytesInto", p -> p.first().recvBytesInto(new byte[16]))
                .user("poll(timeout)", p -> p.first().poll(LONG_WAIT))
                .user("poll", p -> p.first().poll())
                .closeWith(p -> p.first().close())
                .cleanup(Pipe::close)
                .expect(ClosedChannelException.class)
                .rounds(ROUNDS)
                .run();
    }

    @Test
    void shouldWakePipeSendersWithClosedChannelWhenClosed() throws Exception {
        CloseRace.of("pipe end, sending", () -> Pipe.open(SMALL))
                .user("send(large)", p -> p.first().send(LARGER_THAN_RING))      // nobody receives: the ring fills
                .user("sendBytes", p -> p.first().sendBytes(new byte[1000]))
                .closeWith(p -> p.first().close())
                .cleanup(Pipe::close)
                .expect(ClosedChannelException.class)
                .rounds(ROUNDS)
                .run();
    }
}
