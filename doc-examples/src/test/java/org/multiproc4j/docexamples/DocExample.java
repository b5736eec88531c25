package org.multiproc4j.docexamples;

import java.nio.file.Path;
import java.util.List;

/**
 * One code example found in the documentation: a {@code <pre>{@code ...}</pre>} block of a Javadoc comment
 * or a fenced block of a Markdown file.
 *
 * @param file           the file it is in, relative to the project root (as messages show it).
 * @param line           the file's line (1-based) of the example's first line.
 * @param language       {@code "java"} for an example to compile and run; anything else (a shell command, a
 *                       {@code pom.xml} fragment) is counted but not compiled.
 * @param code           the example as a reader sees it: comment stars stripped, Javadoc escapes undone.
 * @param compileOnly    the reason given by a leading {@code // compile-only: <reason>} line, or {@code null}
 *                       for an example that is also run.
 * @param fileImports    the {@code import} declarations of the Java file it is in (empty for Markdown).
 * @param filePackage    the package of the Java file it is in, or {@code null}.
 */
public record DocExample(Path file, int line, String language, String code, String compileOnly,
        List<String> fileImports, String filePackage) {

    /** The marker that makes a Java example compile-only; a reason must follow it. */
    public static final String COMPILE_ONLY = "// compile-only:";

    /**
     * Tells whether this example is Java, to be compiled (and run unless {@link #compileOnly()}).
     *
     * @return whether it is Java.
     */
    public boolean isJava() {
        return "java".equals(language);
    }

    /**
     * Returns where the example is, as {@code path:line}.
     *
     * @return the location.
     */
    public String location() {
        return location(0);
    }

    /**
     * Returns where a line of the example is, as {@code path:line}.
     *
     * @param offset the line within the example, 0 for its first.
     * @return the location.
     */
    public String location(int offset) {
        return file.toString().replace('\\', '/') + ":" + (line + offset);
    }

    @Override
    public String toString() {
        return location();
    }
}
