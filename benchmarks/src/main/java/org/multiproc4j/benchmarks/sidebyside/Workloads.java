package org.multiproc4j.benchmarks.sidebyside;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The registry of side-by-side workloads, in the order they run. Later modules add theirs here (and their
 * Python halves to {@code mp_side.py}).
 */
public final class Workloads {
    private static final List<Supplier<Workload>> ALL = List.of(
            ProcessStartWorkload::new,
            PipeWorkload::small,
            PipeWorkload::bytes,
            () -> new QueueWorkload("queue_throughput_1p1c"),
            () -> new QueueWorkload("queue_throughput_4p1c"),
            () -> new QueueWorkload("queue_throughput_2p2c"),
            () -> new QueueWorkload("simplequeue_throughput_1p1c"),
            () -> new QueueWorkload("joinablequeue_roundtrip"),
            SharedMemWorkload::valueIncrement,
            SharedMemWorkload::arrayBulk,
            () -> new ManagerWorkload("manager_start"),
            () -> new ManagerWorkload("manager_start_quiet"),
            () -> new ManagerWorkload("manager_dict_ops"),
            () -> new ManagerWorkload("manager_list_append"),
            () -> new ManagerWorkload("manager_proxy_rtt"),
            MpiWorkload::new);

    private Workloads() {
    }

    /**
     * Creates every workload.
     *
     * @return fresh instances, in running order.
     */
    public static List<Workload> all() {
        List<Workload> list = new ArrayList<>();
        for (Supplier<Workload> s : ALL) {
            list.add(s.get());
        }
        list.addAll(PoolWorkload.all());
        return list;
    }
}
