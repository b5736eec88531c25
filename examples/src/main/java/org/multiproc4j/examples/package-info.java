/**
 * The tutorial's examples, in Java, and the {@link org.multiproc4j.examples.Tour} that runs them in order
 * ({@code bin/tour}). Each example is a small program with a {@code main}; an {@code IT} runs each one
 * and checks its output against the Python reference.
 *
 * <pre class="shell">{@code
 * bin/tour            # every example
 * bin/tour cube       # only the examples whose name contains "cube"
 * }</pre>
 */
package org.multiproc4j.examples;
