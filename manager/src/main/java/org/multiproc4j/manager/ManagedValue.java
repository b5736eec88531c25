package org.multiproc4j.manager;

/**
 * One value owned by a manager's server: Python's {@code manager.Value(typecode, value)}, in the manner of
 * {@link java.util.concurrent.atomic.AtomicReference}: updates given as functions run in the server, so
 * each is atomic across processes.
 *
 * <pre>{@code
 * try (Manager manager = Manager.start()) {
 *     ManagedValue<Integer> counter = manager.value(0);
 *     JvmProcess child = new JvmProcess(() -> {
 *         for (int i = 0; i < 100; i++) {
 *             counter.updateAndGet(x -> x + 1);              // one atomic round trip
 *         }
 *     }).start();
 *     for (int i = 0; i < 100; i++) {
 *         counter.updateAndGet(x -> x + 1);
 *     }
 *     child.join();
 *     System.out.println(counter.get());                     // 200
 * }
 * }</pre>
 *
 * <p><b>Thread and process safety.</b> Each method is one round trip and atomic in the server. The value is
 * a copy each way: comparisons ({@link #compareAndSet}) use {@code equals}, not identity.
 *
 * <p><b>Failure.</b> An exception thrown by an update function in the server is rethrown to the caller and
 * leaves the value unchanged. If the server is gone, every method throws {@link ManagerException}.
 *
 * @param <T> the value's type.
 */
public interface ManagedValue<T> {

    /**
     * Returns the value.
     *
     * @return the value.
     * @throws ManagerException if the server is gone.
     */
    T get();

    /**
     * Sets the value.
     *
     * @param value the new value, {@code null} allowed.
     * @throws ManagerException if the server is gone.
     */
    void set(T value);

    /**
     * Sets the value and returns the old one, atomically.
     *
     * @param value the new value.
     * @return the previous value.
     * @throws ManagerException if the server is gone.
     */
    T getAndSet(T value);

    /**
     * Sets the value to {@code update} if it {@code equals} {@code expected}, atomically.
     *
     * @param expected the expected value.
     * @param update   the new value.
     * @return whether the value was set.
     * @throws ManagerException if the server is gone.
     */
    boolean compareAndSet(T expected, T update);

    /**
     * Updates the value with a function run in the server and returns the new value, atomically.
     *
     * @param function computes the new value from the current one.
     * @return the new value.
     * @throws ManagerException if the server is gone.
     */
    T updateAndGet(ManagedUnaryOperator<T> function);

    /**
     * Updates the value with a function run in the server and returns the old value, atomically.
     *
     * @param function computes the new value from the current one.
     * @return the previous value.
     * @throws ManagerException if the server is gone.
     */
    T getAndUpdate(ManagedUnaryOperator<T> function);
}
