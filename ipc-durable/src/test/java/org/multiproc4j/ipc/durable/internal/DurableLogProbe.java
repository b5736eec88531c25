package org.multiproc4j.ipc.durable.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.multiproc4j.ipc.durable.DurableQueue;

/**
 * What tests see of a {@link DurableQueue}'s claim protocol: the queue's {@link DurableLog} (a private field,
 * read reflectively, so that the public class carries no test hook) and the log's package-private hooks.
 */
public final class DurableLogProbe {
    private static final VarHandle LOG;

    static {
        try {
            LOG = MethodHandles.privateLookupIn(DurableQueue.class, MethodHandles.lookup())
                    .findVarHandle(DurableQueue.class, "log", DurableLog.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private DurableLogProbe() {
    }

    /**
     * Reads a message's marker, as every process sees it.
     *
     * @param queue the queue.
     * @param index the message's index.
     * @return the marker; see {@link QueueDescriptor#describe(long)}.
     */
    public static long marker(DurableQueue<?> queue, long index) {
        return log(queue).markerOf(index);
    }

    /**
     * Makes the queue object a consumer (it takes a slot, as its first take would) and returns its session.
     *
     * @param queue the queue.
     * @return the consumer's slot and epoch, which the markers of the messages it takes name.
     * @throws IOException if the claim file cannot be read.
     */
    public static ClaimFile.Session session(DurableQueue<?> queue) throws IOException {
        return log(queue).session();
    }

    private static DurableLog log(DurableQueue<?> queue) {
        return (DurableLog) LOG.get(queue);
    }
}
