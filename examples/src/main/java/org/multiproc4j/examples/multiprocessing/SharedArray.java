package org.multiproc4j.examples.multiprocessing;

import java.util.Arrays;

import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.sharedmem.SharedIntArray;

/**
 * The tutorial's "Array" example: an array of three {@code int}s in shared memory starts as zeros; a child
 * process adds 1 to every element, and the parent prints the array before and after.
 *
 * <p>Python's version ({@code array_add_one.py}) makes {@code Array('i', 3)} and prints {@code arr[:]}. Here
 * the array is a {@link SharedIntArray} (zero-filled when created), {@link SharedIntArray#toArray()} is
 * {@code arr[:]}, and the child's task is a lambda that captures the array: it travels as its name and the
 * child maps the same memory.
 *
 * <p>How to run: {@code bin/tour array}, or after a build
 * {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp "examples/target/*:examples/target/lib/*"
 * org.multiproc4j.examples.multiprocessing.SharedArray}.
 */
public final class SharedArray {
    private SharedArray() {
    }

    static void addOne(SharedIntArray arr) {
        for (long i = 0; i < arr.length(); i++) {
            arr.set(i, arr.get(i) + 1);
        }
    }

    /**
     * Prints a shared array of three zeros, has a child add 1 to each, prints it again.
     *
     * @param args ignored.
     * @throws InterruptedException if interrupted while joining.
     */
    public static void main(String[] args) throws InterruptedException {
        try (SharedIntArray arr = SharedIntArray.create(3)) {
            System.out.println("before: " + Arrays.toString(arr.toArray()));
            JvmProcess p = new JvmProcess(() -> addOne(arr));
            p.start();
            p.join();
            System.out.println(Arrays.toString(arr.toArray()));
        }
    }
}
