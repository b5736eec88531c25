package org.multiproc4j.ipc;

/** The contract for {@link SharedQueue} without a bound. */
class SharedQueueContractTest extends QueueContractTest {

    @Override
    MessageQueue<Object> create(ChannelOptions options) {
        return SharedQueue.create(options);
    }

    /** The contract for a bounded {@link SharedQueue}. */
    static class Bounded extends QueueContractTest {
        @Override
        MessageQueue<Object> create(ChannelOptions options) {
            return SharedQueue.create(100_000, options);
        }
    }

    /** The contract for {@link JoinableSharedQueue}. */
    static class Joinable extends QueueContractTest {
        @Override
        MessageQueue<Object> create(ChannelOptions options) {
            return JoinableSharedQueue.create(0, options);
        }
    }

    /** The contract for {@link SimpleSharedQueue}. */
    static class Simple extends QueueContractTest {
        @Override
        MessageQueue<Object> create(ChannelOptions options) {
            return SimpleSharedQueue.create(options);
        }
    }
}
