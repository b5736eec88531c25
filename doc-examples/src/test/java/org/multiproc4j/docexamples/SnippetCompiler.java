package org.multiproc4j.docexamples;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles the units of many examples in one {@code javax.tools} call, and reports each error at the
 * documentation's file and line.
 *
 * <p>Warnings count as errors ({@code -Xlint:all -Werror} as in the build, less {@code serial}: an example's
 * small {@code Serializable} class needs no {@code serialVersionUID}). When some examples do not compile,
 * the others are compiled again on their own, so that they can still run.
 */
public final class SnippetCompiler {
    /** The options examples are compiled with. */
    public static final List<String> OPTIONS = List.of("--release", "17", "-Xlint:all,-serial,-processing", "-Werror",
            "-proc:none", "-encoding", "UTF-8");

    /**
     * What compiling gave.
     *
     * @param classes the directory of the compiled classes (of every example that compiled).
     * @param errors  per example that did not compile, its messages, each starting {@code path:line: }.
     */
    public record Result(Path classes, Map<DocExample, List<String>> errors) {
        /**
         * Tells whether an example compiled.
         *
         * @param example one of the compiled examples.
         * @return whether its class is in {@link #classes()}.
         */
        public boolean compiled(DocExample example) {
            return !errors.containsKey(example);
        }
    }

    private SnippetCompiler() {
    }

    /**
     * Writes the units under {@code workDir/src}, compiles them into {@code workDir/classes} (both emptied
     * first) against a classpath, and maps every diagnostic to its example.
     *
     * @param units     the examples' units.
     * @param workDir   a directory for sources and classes.
     * @param classpath the classpath to compile against.
     * @return the classes directory and the errors.
     * @throws IllegalStateException if this JVM has no compiler (a JRE).
     * @throws UncheckedIOException  if the files cannot be written.
     */
    public static Result compile(List<SnippetSource> units, Path workDir, String classpath) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in " + System.getProperty("java.home")
                    + ": the documentation examples need a JDK");
        }
        Path src = workDir.resolve("src");
        Path classes = workDir.resolve("classes");
        Map<Path, SnippetSource> byFile = new LinkedHashMap<>();
        try {
            deleteTree(workDir);
            Files.createDirectories(src.resolve(SnippetSource.PACKAGE));
            Files.createDirectories(classes);
            for (SnippetSource u : units) {
                Path f = src.resolve(SnippetSource.PACKAGE).resolve(u.className() + ".java");
                if (byFile.put(f.toAbsolutePath().normalize(), u) != null) {
                    throw new IllegalArgumentException("two examples named " + u.className());
                }
                Files.writeString(f, u.text(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<DocExample, List<String>> errors = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>(byFile.keySet());
        while (!files.isEmpty()) {
            Map<DocExample, List<String>> round = run(javac, files, byFile, classes, classpath);
            if (round.isEmpty()) {
                break;
            }
            errors.putAll(round);
            files.removeIf(f -> round.containsKey(byFile.get(f).example()));
        }
        return new Result(classes, errors);
    }

    private static Map<DocExample, List<String>> run(JavaCompiler javac, List<Path> files,
            Map<Path, SnippetSource> byFile, Path classes, String classpath) {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<DocExample, List<String>> errors = new LinkedHashMap<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = new ArrayList<>(OPTIONS);
            options.addAll(List.of("-classpath", classpath, "-d", classes.toString()));
            StringWriter other = new StringWriter();
            boolean ok = javac.getTask(other, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files))
                    .call();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR && d.getKind() != Diagnostic.Kind.WARNING
                        && d.getKind() != Diagnostic.Kind.MANDATORY_WARNING) {
                    continue;
                }
                SnippetSource unit = d.getSource() == null ? null
                        : byFile.get(Path.of(d.getSource().toUri()).toAbsolutePath().normalize());
                if (unit == null) {
                    // not attributable to one example (an option, -Werror's summary): fail all, say so
                    if (d.getKind() == Diagnostic.Kind.ERROR && d.getMessage(Locale.ROOT).contains("warnings found")) {
                        continue;
                    }
                    throw new IllegalStateException("javac: " + d.getMessage(Locale.ROOT));
                }
                DocExample ex = unit.example();
                int fileLine = unit.fileLine(d.getLineNumber());
                String where = fileLine > 0 ? ex.file().toString().replace('\\', '/') + ":" + fileLine
                        : ex.location() + " (in the code the harness wraps it in, line " + d.getLineNumber()
                                + " of " + unit.className() + ".java)";
                String kind = d.getKind() == Diagnostic.Kind.ERROR ? "" : "warning: ";
                String shown = fileLine > 0 ? "\n    " + line(ex.code(), fileLine - ex.line()).strip() : "";
                errors.computeIfAbsent(ex, k -> new ArrayList<>()).add(where + ": " + kind
                        + d.getMessage(Locale.ROOT).replace("\n", "\n    ") + shown);
            }
            if (!ok && errors.isEmpty()) {
                throw new IllegalStateException("javac failed without a diagnostic: " + other);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return errors;
    }

    private static String line(String code, int index) {
        String[] lines = code.split("\n", -1);
        return index >= 0 && index < lines.length ? lines[index] : "";
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
