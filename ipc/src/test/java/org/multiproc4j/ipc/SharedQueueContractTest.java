package org.multiproc4j.ipc;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The contract for {@link SharedQueue} without a bound. */
class SharedQueueContractTest extends QueueContractTest {

    static Q adapt(SharedQueue<Object> s) {
        return new Q() {
            @Override
            public void put(Object o) throws InterruptedException {
                s.put(o);
            }

            @Override
            public Object take() throws InterruptedException {
                return s.take();
            }

            @Override
            public Object poll(Duration timeout) throws InterruptedException {
                return s.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            }

            @Override
            public boolean isEmpty() {
                return s.isEmpty();
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }

    @Override
    Q create(ChannelOptions options) {
        return adapt(SharedQueue.create(options));
    }

    /** The contract for a bounded {@link SharedQueue}. */
    static class Bounded extends QueueContractTest {
        @Override
        Q create(ChannelOptions options) {
            return adapt(SharedQueue.create(100_000, options));
        }
    }

    /** The contract for {@link JoinableSharedQueue}. */
    static class Joinable extends QueueContractTest {
        @Override
        Q create(ChannelOptions options) {
            return adapt(JoinableSharedQueue.create(0, options));
        }
    }

    /** The contract for {@link SimpleSharedQueue}. */
    static class Simple extends QueueContractTest {
        @Override
        Q create(ChannelOptions options) {
            SimpleSharedQueue<Object> s = SimpleSharedQueue.create(options);
            return new Q() {
                @Override
                public void put(Object o) throws InterruptedException {
                    s.put(o);
                }

                @Override
                public Object take() throws InterruptedException {
                    return s.take();
                }

                @Override
                public Object poll(Duration timeout) throws InterruptedException {
                    return s.poll(timeout);
                }

                @Override
                public boolean isEmpty() {
                    return s.isEmpty();
                }

                @Override
                public void close() {
                    s.close();
                }
            };
        }
    }
}
