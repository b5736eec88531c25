package org.multiproc4j.docexamples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the code examples of the documentation: {@code <pre>{@code ...}</pre>} blocks in the Javadoc comments
 * of every module's {@code src/main/java} and {@code target/generated-sources}, and fenced blocks in the
 * project's Markdown files.
 *
 * <p>A Javadoc block is Java unless its {@code <pre>} names another language ({@code <pre class="shell">});
 * a Markdown block is Java when its fence says {@code java}. A Java example whose first line is
 * {@code // compile-only: <reason>} is compiled but not run. Anything the extractor cannot read (an
 * unbalanced block, an unknown {@code <pre>} attribute, a compile-only marker without a reason) is a
 * problem naming the file and line, never a silent skip.
 */
public final class DocExampleExtractor {

    /**
     * What a scan found.
     *
     * @param examples every example, in file order.
     * @param problems blocks that could not be read, each as {@code path:line: what}.
     */
    public record Extraction(List<DocExample> examples, List<String> problems) {
    }

    private static final Pattern PRE_CODE = Pattern.compile("<pre([^>]*)>\\{@code");
    private static final Pattern PRE_CLASS = Pattern.compile("\\s+class=\"([A-Za-z0-9_-]+)\"\\s*");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
    private static final Pattern IMPORT = Pattern.compile("(?m)^\\s*import\\s+((?:static\\s+)?[\\w.]+(?:\\.\\*)?)\\s*;");
    private static final Pattern FENCE = Pattern.compile("^( {0,3})(`{3,}|~{3,})\\s*([^`\\s]*)[^`]*$");
    private static final Pattern STAR_PREFIX = Pattern.compile("^[ \\t]*\\*(?: )?");

    private DocExampleExtractor() {
    }

    /**
     * Scans a project: every module's {@code src/main/java/**}{@code /*.java} and
     * {@code target/generated-sources/**}{@code /*.java}, and every Markdown file outside build output and
     * hidden directories.
     *
     * @param root the project's root directory (the parent {@code pom.xml}'s).
     * @return what was found.
     * @throws UncheckedIOException if a file cannot be read.
     */
    public static Extraction scan(Path root) {
        List<DocExample> examples = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path file : javaFiles(root)) {
            javadoc(root.relativize(file), read(file), examples, problems);
        }
        for (Path file : markdownFiles(root)) {
            markdown(root.relativize(file), read(file), examples, problems);
        }
        return new Extraction(examples, problems);
    }

    /**
     * Finds the examples of one Java source file's Javadoc comments.
     *
     * @param file     the file, as messages should name it.
     * @param source   its text.
     * @param out      receives the examples.
     * @param problems receives the blocks that cannot be read.
     */
    public static void javadoc(Path file, String source, List<DocExample> out, List<String> problems) {
        Lines lines = new Lines(source);
        Matcher pkg = PACKAGE.matcher(source);
        String filePackage = pkg.find() ? pkg.group(1) : null;
        List<String> imports = new ArrayList<>();
        Matcher imp = IMPORT.matcher(source);
        while (imp.find()) {
            imports.add(imp.group(1).replaceAll("\\s+", " "));
        }
        for (int[] comment : javadocComments(source)) {
            Matcher m = PRE_CODE.matcher(source).region(comment[0], comment[1]);
            while (m.find()) {
                int startLine = lines.lineOf(m.start());
                String where = file.toString().replace('\\', '/') + ":" + startLine;
                String language = "java";
                if (!m.group(1).isEmpty()) {
                    Matcher cls = PRE_CLASS.matcher(m.group(1));
                    if (!cls.matches()) {
                        problems.add(where + ": a <pre> before {@code may only have class=\"<language>\", found <pre"
                                + m.group(1) + ">");
                        continue;
                    }
                    language = cls.group(1);
                }
                int close = matchingBrace(source, m.end(), comment[1]);
                if (close < 0 || !source.startsWith("</pre>", close + 1)) {
                    problems.add(where + ": <pre>{@code is not closed by a balanced }</pre> in the same comment"
                            + " (braces inside {@code} must balance)");
                    continue;
                }
                List<String> code = new ArrayList<>(List.of(source.substring(m.end(), close).split("\n", -1)));
                int first = startLine;
                for (int i = 1; i < code.size(); i++) {
                    code.set(i, STAR_PREFIX.matcher(code.get(i)).replaceFirst(""));
                }
                if (code.get(0).isBlank()) {
                    code.remove(0);
                    first++;
                }
                if (!code.isEmpty() && code.get(code.size() - 1).isBlank()) {
                    code.remove(code.size() - 1);
                }
                add(new DocExample(file, first, language, unescapeJavadoc(String.join("\n", code)), null,
                        List.copyOf(imports), filePackage), out, problems);
                m.region(close, comment[1]);
            }
        }
    }

    /**
     * Finds the fenced examples of a Markdown file.
     *
     * @param file     the file, as messages should name it.
     * @param text     its text.
     * @param out      receives the examples.
     * @param problems receives the blocks that cannot be read.
     */
    public static void markdown(Path file, String text, List<DocExample> out, List<String> problems) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher open = FENCE.matcher(lines[i]);
            if (!open.matches()) {
                continue;
            }
            String fence = open.group(2);
            int indent = open.group(1).length();
            String language = open.group(3).isEmpty() ? "text" : open.group(3).toLowerCase(java.util.Locale.ROOT);
            List<String> code = new ArrayList<>();
            int j = i + 1;
            while (j < lines.length && !isClosingFence(lines[j], fence)) {
                String l = lines[j];
                int strip = 0;
                while (strip < indent && strip < l.length() && l.charAt(strip) == ' ') {
                    strip++;
                }
                code.add(l.substring(strip));
                j++;
            }
            if (j == lines.length) {
                problems.add(file.toString().replace('\\', '/') + ":" + (i + 1) + ": the " + fence
                        + " block is never closed");
                return;
            }
            add(new DocExample(file, i + 2, language, String.join("\n", code), null, List.of(), null), out, problems);
            i = j;
        }
    }

    /**
     * Undoes the escapes a Javadoc comment needs: {@code {@literal @}}, {@code &#64;}, {@code &lt;},
     * {@code &gt;} and {@code &amp;}.
     *
     * @param code the text of a block.
     * @return the text a reader pastes.
     */
    public static String unescapeJavadoc(String code) {
        return code.replace("{@literal @}", "@").replace("&#64;", "@").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    private static void add(DocExample example, List<DocExample> out, List<String> problems) {
        String reason = null;
        for (String l : example.code().split("\n", -1)) {
            String t = l.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (t.startsWith(DocExample.COMPILE_ONLY)) {
                reason = t.substring(DocExample.COMPILE_ONLY.length()).trim();
                if (reason.isEmpty()) {
                    problems.add(example.location() + ": '" + DocExample.COMPILE_ONLY
                            + "' must say why the example cannot run in the build");
                    return;
                }
            }
            break;
        }
        if (example.code().isBlank()) {
            problems.add(example.location() + ": the example is empty");
            return;
        }
        out.add(new DocExample(example.file(), example.line(), example.language(), example.code(), reason,
                example.fileImports(), example.filePackage()));
    }

    private static boolean isClosingFence(String line, String fence) {
        String t = line.strip();
        return t.length() >= fence.length() && t.chars().allMatch(c -> c == fence.charAt(0))
                && line.indexOf(fence.charAt(0)) <= 3;
    }

    /** Returns the index of the brace closing the one opened just before {@code from}, or -1 before {@code end}. */
    private static int matchingBrace(String s, int from, int end) {
        int depth = 1;
        for (int i = from; i < end; i++) {
            char c = s.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The [start, end) ranges of the Javadoc comments ({@code /**}) of a Java source, skipping literals. */
    static List<int[]> javadocComments(String s) {
        List<int[]> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int end = SnippetSource.endOfCommentOrLiteral(s, i);
            if (end < 0) {
                i++;
                continue;
            }
            if (s.startsWith("/**", i) && end > i + 4) {
                out.add(new int[] {i, end});
            }
            i = end;
        }
        return out;
    }

    private static List<Path> javaFiles(Path root) {
        List<Path> out = new ArrayList<>();
        for (Path module : modules(root)) {
            for (Path dir : List.of(module.resolve("src/main/java"), module.resolve("target/generated-sources"))) {
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> files = Files.walk(dir)) {
                        files.filter(f -> f.toString().endsWith(".java") && Files.isRegularFile(f)).sorted()
                                .forEach(out::add);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Returns the module directories of a project: its subdirectories that have a {@code pom.xml}.
     *
     * @param root the project's root.
     * @return the modules, sorted.
     * @throws UncheckedIOException if the root cannot be listed.
     */
    public static List<Path> modules(Path root) {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> markdownFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".md") && Files.isRegularFile(f))
                    .filter(f -> !skipped(root.relativize(f))).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Build output, hidden directories (.git, .mvn), benchmark reports and test sources (the harness's own
     * fixtures) are not documentation.
     */
    private static boolean skipped(Path relative) {
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
            String part = relative.getName(i).toString();
            if (part.equals("target") || part.startsWith(".") || part.equals("bench-out")
                    || part.equals("node_modules")
                    || (part.equals("src") && i + 1 < relative.getNameCount() - 1
                            && relative.getName(i + 1).toString().equals("test"))) {
                return true;
            }
        }
        return false;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Maps offsets of a text to 1-based line numbers. */
    private static final class Lines {
        private final int[] starts;

        Lines(String s) {
            List<Integer> list = new ArrayList<>();
            list.add(0);
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) == '\n') {
                    list.add(i + 1);
                }
            }
            starts = list.stream().mapToInt(Integer::intValue).toArray();
        }

        int lineOf(int offset) {
            int lo = 0;
            int hi = starts.length - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (starts[mid] <= offset) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return lo + 1;
        }
    }
}
