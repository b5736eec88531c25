package org.multiproc4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * A parent JVM launched the ways users launch programs, each starting a child: {@code java -jar} with a
 * manifest-only jar (what IDEs and Surefire do with long classpaths), and application classes in a
 * {@link java.net.URLClassLoader} with only multiproc4j on the JVM's classpath (what {@code mvn exec:java}
 * does).
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClasspathScenariosIT {
    @TempDir
    Path dir;

    /** Prints the cube of 3 computed in a child. */
    public static final class CubeMain {
        /**
         * Entry point.
         *
         * @param args ignored.
         * @throws Exception on failure.
         */
        public static void main(String[] args) throws Exception {
            int x = 3;
            System.out.println("child says " + JvmProcess.call(() -> x * x * x).get());
        }
    }

    @Test
    void shouldStartAChildFromJavaDashJarWithAManifestOnlyJar() throws Exception {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, CubeMain.class.getName());
        List<String> urls = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(Path.of(e).toUri().toString());
        }
        mf.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
        Path jar = dir.resolve("app.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf)) {
            j.flush();
        }
        assertEquals("child says 27", run(List.of("-jar", jar.toString())));
    }

    @Test
    void shouldStartAChildWhenTheTaskComesFromAUrlClassLoaderLikeMvnExec() throws Exception {
        List<String> libraryPath = new ArrayList<>();
        List<String> appPath = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            (e.contains("test-classes") ? appPath : libraryPath).add(e);
        }
        assertTrue(!appPath.isEmpty(), "the test classes are on the classpath");
        Path boot = dir.resolve("Boot.java");
        Files.writeString(boot, "import java.net.*; import java.nio.file.*;\n"
                + "public class Boot { public static void main(String[] a) throws Exception {\n"
                + "  String[] parts = a[0].split(java.io.File.pathSeparator); URL[] urls = new URL[parts.length];\n"
                + "  for (int i = 0; i < parts.length; i++) urls[i] = Path.of(parts[i]).toUri().toURL();\n"
                + "  ClassLoader app = new URLClassLoader(urls, ClassLoader.getSystemClassLoader());\n"
                + "  Thread.currentThread().setContextClassLoader(app);\n"
                + "  Class.forName(a[1], true, app).getMethod(\"main\", String[].class).invoke(null, (Object) new String[0]);\n"
                + "} }\n");
        String out = run(List.of("-cp", String.join(File.pathSeparator, libraryPath), boot.toString(),
                String.join(File.pathSeparator, appPath), CubeMain.class.getName()));
        assertEquals("child says 27", out);
    }

    private String run(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(Timeouts.LONG.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
