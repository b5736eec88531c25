/**
 * Service interfaces through which the modules above {@code core} shape the child JVMs it starts, while
 * {@code core} stays ignorant of them.
 *
 * <pre>{@code
 * // A module names its providers in META-INF/services/org.multiproc4j.core.spi.JvmOptionsProvider
 * // (sharedmem's: org.multiproc4j.sharedmem.internal.SharedMemJvmOptions); core asks them all:
 * for (JvmOptionsProvider provider : ServiceLoader.load(JvmOptionsProvider.class)) {
 *     System.out.println(provider.getClass().getName() + " " + provider.jvmOptions(Runtime.version()));
 * }
 * }</pre>
 */
package org.multiproc4j.core.spi;
