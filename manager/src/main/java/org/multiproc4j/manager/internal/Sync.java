package org.multiproc4j.manager.internal;

/** The synchronisation types and queues of a manager, and their server-side objects. */
final class Sync {
    private Sync() {
    }

    static void registerAll(Server s) {
        // filled in with the queues and locks
    }
}
