package org.multiproc4j.docexamples;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The pieces of {@link DocExamplesIT} that are not tests: where the project is, what to import, names. */
final class DocExamplesHarness {
    /** The system property the build sets to the project's root directory. */
    static final String ROOT_PROP = "multiproc4j.projectRoot";

    private DocExamplesHarness() {
    }

    /** The project's root: the property the build sets, or the parent of the working directory. */
    static Path projectRoot() {
        String p = System.getProperty(ROOT_PROP);
        Path root = (p == null || p.isBlank() ? Path.of("..") : Path.of(p)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("core"))) {
            throw new IllegalStateException("not the multiproc4j project's root: " + root + " (set -D" + ROOT_PROP + ")");
        }
        return root;
    }

    /**
     * The packages every example imports: those of the modules' main and generated sources that hold a class,
     * less what the published Javadoc leaves out (internal, benchmarks, examples, test support), of the
     * modules on the classpath (a module missing from it is reported by its own test, not by every example).
     */
    static Collection<String> apiPackages(Path root, List<String> classpath) {
        Set<String> out = new TreeSet<>();
        for (Path module : DocExampleExtractor.modules(root)) {
            if (!onClasspath(module, classpath)) {
                continue;
            }
            List<Path> dirs = new ArrayList<>(List.of(module.resolve("src/main/java")));
            Path generated = module.resolve("target/generated-sources");
            if (Files.isDirectory(generated)) {
                try (Stream<Path> kinds = Files.list(generated)) {
                    kinds.filter(Files::isDirectory).forEach(dirs::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            for (Path dir : dirs) {
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(dir)) {
                    files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("package-info.java"))
                            .map(f -> dir.relativize(f.getParent()).toString().replace(File.separator, "."))
                            .filter(DocExamplesHarness::isApi).forEach(out::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    static boolean isApi(String pkg) {
        return pkg.startsWith("org.multiproc4j.") && !(pkg + ".").contains(".internal.")
                && !pkg.startsWith("org.multiproc4j.benchmarks") && !pkg.startsWith("org.multiproc4j.examples")
                && !pkg.startsWith("org.multiproc4j.test");
    }

    /** The entry of {@code exclusions} that covers the file of an example, or {@code null}. */
    static String exclusion(DocExample ex, List<String> exclusions) {
        if (ex.filePackage() == null) {
            return null;
        }
        String name = ex.file().getFileName().toString();
        String qualified = ex.filePackage() + "." + name.substring(0, name.length() - ".java".length());
        for (String e : exclusions) {
            if (e.endsWith(".*") ? qualified.startsWith(e.substring(0, e.length() - 1)) : qualified.equals(e)) {
                return e;
            }
        }
        return null;
    }

    /** Gives every Java example its unit, named after its module, package, file and line ({@code core_core_JvmProcess_L40}). */
    static List<SnippetSource> units(List<DocExample> examples, Collection<String> apiPackages) {
        List<SnippetSource> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (DocExample ex : examples) {
            if (!ex.isJava()) {
                continue;
            }
            String base = className(ex);
            String name = base;
            for (int i = 2; !names.add(name); i++) {
                name = base + "_" + i;
            }
            out.add(SnippetSource.of(ex, name, apiPackages));
        }
        return out;
    }

    static String className(DocExample ex) {
        String path = ex.file().toString().replace('\\', '/').replaceFirst("/src/main/java/", "/")
                .replaceFirst("/target/generated-sources/[^/]+/", "/").replace("org/multiproc4j/", "")
                .replaceFirst("\\.java$", "");
        StringBuilder s = new StringBuilder();
        for (char c : path.toCharArray()) {
            s.append(Character.isJavaIdentifierPart(c) ? c : '_');
        }
        if (!Character.isJavaIdentifierStart(s.charAt(0))) {
            s.insert(0, "Ex_");
        }
        return s + "_L" + ex.line();
    }

    /**
     * The modules that hold checked examples in their sources but are not on the classpath (no entry under
     * {@code <module>/target/}).
     */
    static List<String> modulesMissingFromClasspath(Path root, List<DocExample> examples, List<String> classpath) {
        Set<String> missing = new TreeSet<>();
        for (DocExample ex : examples) {
            if (!ex.isJava() || ex.file().getNameCount() < 2 || !ex.file().toString().endsWith(".java")) {
                continue;
            }
            if (!onClasspath(root.resolve(ex.file().getName(0)), classpath)) {
                missing.add(ex.file().getName(0).toString());
            }
        }
        return new ArrayList<>(missing);
    }

    /** Whether the classpath has an entry under the module's {@code target/} (its classes or its jar). */
    static boolean onClasspath(Path module, List<String> classpath) {
        Path target = module.resolve("target").toAbsolutePath().normalize();
        return classpath.stream().filter(e -> !e.isEmpty())
                .anyMatch(e -> Path.of(e).toAbsolutePath().normalize().startsWith(target));
    }
}
