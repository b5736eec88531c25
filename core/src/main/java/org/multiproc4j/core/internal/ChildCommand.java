package org.multiproc4j.core.internal;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

import org.multiproc4j.core.spi.JvmOptionsProvider;

/**
 * Builds a child JVM's command line: the java executable, the JVM options (the user's, those the modules
 * contribute through {@link JvmOptionsProvider}, class-data sharing), the classpath and {@link ChildMain}.
 */
public final class ChildCommand {
    private static final Map<Integer, List<String>> PROVIDER_OPTIONS = new ConcurrentHashMap<>();

    private ChildCommand() {
    }

    /**
     * Returns the java executable of the running JVM.
     *
     * @return {@code $java.home/bin/java}.
     */
    public static Path currentJava() {
        return Paths.get(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * Finds the Java version of an executable from its runtime's {@code release} file, without running it.
     *
     * @param java a java executable.
     * @return its version, or the running JVM's if it cannot be read.
     */
    public static Runtime.Version versionOf(Path java) {
        if (java.equals(currentJava())) {
            return Runtime.version();
        }
        try {
            Path home = java.toRealPath().getParent().getParent();
            for (String line : Files.readAllLines(home.resolve("release"), StandardCharsets.UTF_8)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    return Runtime.Version.parse(line.substring("JAVA_VERSION=".length()).replace("\"", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: assume the running version
        }
        return Runtime.version();
    }

    /**
     * Returns the options every {@link JvmOptionsProvider} on the classpath contributes for a version.
     *
     * @param version the child's Java version.
     * @return the options, duplicates removed (an option and its value count as a pair).
     */
    public static List<String> providerOptions(Runtime.Version version) {
        return PROVIDER_OPTIONS.computeIfAbsent(version.feature(), f -> {
            List<String> all = new ArrayList<>();
            LinkedHashSet<String> seen = new LinkedHashSet<>();
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader == null) {
                loader = ChildCommand.class.getClassLoader();
            }
            for (JvmOptionsProvider p : ServiceLoader.load(JvmOptionsProvider.class, loader)) {
                List<String> opts = p.jvmOptions(version);
                for (int i = 0; i < opts.size(); i++) {
                    String opt = opts.get(i);
                    boolean takesValue = takesValue(opt) && i + 1 < opts.size();
                    String key = takesValue ? opt + " " + opts.get(i + 1) : opt;
                    if (seen.add(key)) {
                        all.add(opt);
                        if (takesValue) {
                            all.add(opts.get(i + 1));
                        }
                    }
                    if (takesValue) {
                        i++;
                    }
                }
            }
            return Collections.unmodifiableList(all);
        });
    }

    /** The prefix of the system properties every child inherits from its parent. */
    public static final String INHERITED_PREFIX = "multiproc4j.";
    /** The prefix of multiproc4j's own bookkeeping properties, which stay in the JVM that set them. */
    private static final String INTERNAL_PREFIX = "multiproc4j.internal.";

    /**
     * Returns this JVM's {@code multiproc4j.*} system properties, as they are now, as {@code -Dkey=value}
     * options for a child: settings such as {@code multiproc4j.sharedmem.dir} must be the same in a child for
     * it to find its parent's objects. Bookkeeping under {@code multiproc4j.internal.} is left out.
     *
     * @return the options, sorted by key (so that equal settings give equal command lines).
     */
    public static List<String> inheritedProperties() {
        java.util.TreeMap<String, String> found = new java.util.TreeMap<>();
        System.getProperties().forEach((k, v) -> {
            if (k instanceof String && v instanceof String) {
                String key = (String) k;
                if (key.startsWith(INHERITED_PREFIX) && !key.startsWith(INTERNAL_PREFIX)) {
                    found.put(key, (String) v);
                }
            }
        });
        List<String> options = new ArrayList<>(found.size());
        for (Map.Entry<String, String> e : found.entrySet()) {
            options.add("-D" + e.getKey() + "=" + e.getValue());
        }
        return options;
    }

    private static boolean takesValue(String opt) {
        return opt.equals("--add-exports") || opt.equals("--add-opens") || opt.equals("--add-reads")
                || opt.equals("--add-modules") || opt.equals("--enable-native-access");
    }

    /**
     * Computes the classpath a child needs to run tasks defined by the given class loader.
     *
     * <p>It starts from {@code java.class.path} (which covers IDEs, {@code java -jar} and Surefire, whose
     * manifest-only jar the child JVM expands by itself), adds the URLs of any {@link URLClassLoader} in
     * the task's loader chain and the context loader's ({@code mvn exec:java} runs code that way), the
     * location of multiproc4j's core itself, and {@code extra}.
     *
     * @param taskLoader the loader of the task's class, may be {@code null}.
     * @param extra      entries the user added.
     * @return absolute classpath entries, in order, without duplicates.
     */
    public static List<String> classpath(ClassLoader taskLoader, List<Path> extra) {
        LinkedHashSet<String> entries = new LinkedHashSet<>();
        String cp = System.getProperty("java.class.path", "");
        for (String e : cp.split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                entries.add(Paths.get(e).toAbsolutePath().normalize().toString());
            }
        }
        addLoaderUrls(entries, taskLoader);
        addLoaderUrls(entries, Thread.currentThread().getContextClassLoader());
        CodeSource core = ChildMain.class.getProtectionDomain().getCodeSource();
        if (core != null && core.getLocation() != null) {
            addUrl(entries, core.getLocation());
        }
        for (Path p : extra) {
            entries.add(p.toAbsolutePath().normalize().toString());
        }
        return new ArrayList<>(entries);
    }

    private static void addLoaderUrls(LinkedHashSet<String> entries, ClassLoader loader) {
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            if (l instanceof URLClassLoader) {
                for (URL url : ((URLClassLoader) l).getURLs()) {
                    addUrl(entries, url);
                }
            }
        }
    }

    private static void addUrl(LinkedHashSet<String> entries, URL url) {
        if ("file".equals(url.getProtocol())) {
            try {
                entries.add(Paths.get(url.toURI()).toAbsolutePath().normalize().toString());
            } catch (URISyntaxException | RuntimeException e) {
                // not a local file: a child cannot use it anyway
            }
        }
    }
}
