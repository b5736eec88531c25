package org.multiproc4j.examples.multiprocessing;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.sharedmem.SharedInt;

/**
 * The tutorial's "Value" example: an {@code int} in shared memory starts at 4; a child process cubes it in
 * place, then a second child cubes it again, and the parent prints the result, (4<sup>3</sup>)<sup>3</sup> =
 * 262144.
 *
 * <p>Python's version ({@code value_cube.py}) makes {@code Value('i', 4)} and passes it in
 * {@code Process(args=(num,))}. Here the value is a {@link SharedInt}, and the lambda that captures it is the
 * child's task: the value travels to the child as its name and the child maps the same memory, so what the
 * child writes is what the parent reads. The children run one after the other ({@code join} before the next
 * {@code start}), so no lock is needed; {@link SharedInt#createWithLock(int)} gives a value with a lock, like
 * Python's default, for children that update it at the same time. The {@code try} block removes the shared
 * value at the end.
 *
 * <p>How to run: {@code bin/tour value}, or after a build
 * {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp "examples/target/*:examples/target/lib/*"
 * org.multiproc4j.examples.multiprocessing.SharedValue}.
 */
public final class SharedValue {
    private SharedValue() {
    }

    static void cube(SharedInt v) {
        v.set(v.get() * v.get() * v.get());
    }

    /**
     * Cubes a shared 4 in a child, twice, and prints it.
     *
     * @param args ignored.
     * @throws InterruptedException if interrupted while joining.
     */
    public static void main(String[] args) throws InterruptedException {
        try (SharedInt num = SharedInt.create(4)) {
            for (int i = 0; i < 2; i++) {
                JvmProcess p = new JvmProcess(() -> cube(num));
                p.start();
                p.join();
            }
            System.out.println(num.get());
        }
    }
}
