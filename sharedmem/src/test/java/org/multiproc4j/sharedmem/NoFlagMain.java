package org.multiproc4j.sharedmem;

/** Run without {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}: uses shared memory once. */
public final class NoFlagMain {
    private NoFlagMain() {
    }

    /**
     * Creates a shared int.
     *
     * @param args ignored.
     */
    public static void main(String[] args) {
        try (SharedInt v = SharedInt.create(1)) {
            System.out.println("created " + v.name());
        }
    }
}
