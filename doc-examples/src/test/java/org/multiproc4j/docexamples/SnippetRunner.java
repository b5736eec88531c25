package org.multiproc4j.docexamples;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Runs compiled examples in this JVM, each in a thread of its own with a time limit.
 *
 * <p>The examples' classes are loaded by a {@link URLClassLoader} over the compiled classes (the thread's
 * context loader while it runs), so the child JVMs an example starts find them on their classpath.
 */
public final class SnippetRunner implements AutoCloseable {
    private final URLClassLoader loader;

    /**
     * Creates a runner for the classes in a directory.
     *
     * @param classes the directory the examples were compiled into.
     * @throws MalformedURLException if the directory has no URL.
     */
    public SnippetRunner(Path classes) throws MalformedURLException {
        loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, SnippetRunner.class.getClassLoader());
    }

    /**
     * Runs an example's {@code run()} and waits for it.
     *
     * @param unit    the example's compiled unit.
     * @param timeout how long it may take.
     * @throws AssertionError if it throws (the cause is what it threw) or does not finish in time (the
     *                        message shows where it was).
     * @throws Exception      if its class cannot be loaded, or the wait is interrupted.
     */
    public void run(SnippetSource unit, Duration timeout) throws Exception {
        Method run = loader.loadClass(unit.qualifiedName()).getMethod("run");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                run.invoke(null);
            } catch (InvocationTargetException e) {
                failure.set(e.getCause());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "doc-example " + unit.example().location());
        t.setDaemon(true);
        t.setContextClassLoader(loader);
        t.start();
        t.join(timeout.toMillis());
        if (t.isAlive()) {
            String stack = Arrays.stream(t.getStackTrace()).map(e -> "\tat " + e).collect(Collectors.joining("\n"));
            t.interrupt();
            t.join(1000);
            throw new AssertionError(unit.example().location() + ": the example did not finish within " + timeout
                    + "; it was at\n" + stack);
        }
        Throwable e = failure.get();
        if (e != null) {
            throw new AssertionError(unit.example().location() + ": the example threw " + e, e);
        }
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }
}
