/**
 * Service interfaces through which the modules above {@code core} shape the child JVMs it starts, while
 * {@code core} stays ignorant of them.
 *
 * <pre>{@code
 * // in META-INF/services/org.multiproc4j.core.spi.JvmOptionsProvider:
 * //   org.multiproc4j.sharedmem.internal.AgronaJvmOptions
 * }</pre>
 */
package org.multiproc4j.core.spi;
