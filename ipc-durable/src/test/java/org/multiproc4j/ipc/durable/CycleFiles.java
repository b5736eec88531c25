package org.multiproc4j.ipc.durable;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.wire.Wires;

import org.multiproc4j.ipc.durable.internal.RollPeriods;

/** Chronicle cycle files as a crash leaves them, for tests. */
final class CycleFiles {
    private CycleFiles() {
    }

    /**
     * Makes the current cycle file of the queue in {@code queue} (default roll period) as a producer killed
     * between Chronicle's two writes of its first header leaves it (Chronicle's own tests do the same): the
     * header word says "not complete". Chronicle makes readers wait for it in vain (about two seconds each
     * time), then the next producer renames the file {@code *.discard}, warns, and starts the cycle anew.
     *
     * @param queue the queue's directory, which exists.
     * @throws IOException if the file cannot be written.
     */
    static void plantIncompleteHeader(Path queue) throws IOException {
        try (SingleChronicleQueue cq = SingleChronicleQueueBuilder.single(queue.toFile())
                .rollCycle(RollPeriods.cycle(DurableQueue.Options.DEFAULT_ROLL_PERIOD)).build()) {
            SingleChronicleQueueStore store = cq.storeForCycle(cq.cycle(), cq.epoch(), true, null);
            File file = store.file();
            cq.closeStore(store);
            try (FileChannel ch = FileChannel.open(file.toPath(), StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, Wires.NOT_COMPLETE), 0);
            }
        }
    }
}
