/**
 * Test support shared by every module (test scope only): {@link org.multiproc4j.test.LeakCheck}, the
 * extension that fails a test leaving a child process or a {@code /dev/shm} file behind,
 * {@link org.multiproc4j.test.Timeouts}, named delays scaled for slow CI,
 * {@link org.multiproc4j.test.CloseRace}, which closes an object while other threads wait in it or call it, and
 * {@link org.multiproc4j.test.OptionsStyle}, which checks that an options class follows the project's style.
 *
 * <pre>{@code
 * // compile-only: a test class, which JUnit runs
 * import static org.junit.jupiter.api.Assertions.assertTrue;
 *
 * import org.junit.jupiter.api.Test;
 * import org.junit.jupiter.api.Timeout;
 * import org.junit.jupiter.api.extension.ExtendWith;
 *
 * @ExtendWith(LeakCheck.class)
 * @Timeout(60)
 * class SomethingIT {
 *     @Test
 *     void shouldFinish() throws Exception {
 *         JvmProcess process = new JvmProcess(() -> System.out.println("hello")).start();
 *         assertTrue(process.join(Timeouts.MEDIUM));
 *     }
 * }
 * }</pre>
 */
package org.multiproc4j.test;
