import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes sharedmem's primitive family (SharedInt, SharedIntArray, ... and their tests) from templates and a
 * table of element types, as the JDK writes its buffers from X-Buffer.java.template. Run by Maven at
 * generate-sources; by hand:
 *
 * <pre>
 *   java sharedmem/src/build/Generate.java sharedmem/src/main/templates/types.table \
 *        sharedmem/src/main/templates sharedmem/target/generated-sources/typed \
 *        sharedmem/src/test/templates sharedmem/target/generated-test-sources/typed
 * </pre>
 *
 * <p>The table has one row per element type (see its header). Each row makes one class per shape it lists:
 * {@code Shared<Type>} for {@code value}, {@code Shared<Type>Array} for {@code array}. Every template file
 * ({@code *.template}) under a template folder is written once per class, to the same relative path under the
 * output folder, with {@code Typed} in its file name replaced by the class name
 * ({@code org/multiproc4j/sharedmem/Typed.java.template} gives {@code .../SharedInt.java}).
 *
 * <p>The template language, all of it:
 * <ul>
 *   <li>{@code $name$} is replaced by a value of the class ({@link #placeholders}); an unknown name is an
 *       error.</li>
 *   <li>Lines {@code #if[cond]}, {@code #else[cond]}, {@code #end[cond]} (indentation allowed) keep what they
 *       enclose when the condition holds (or does not, after {@code #else}); they nest, and {@code else} and
 *       {@code end} repeat the condition of their {@code if}.</li>
 *   <li>{@code #[cond]} at the start of a line keeps the rest of that line only when the condition holds.</li>
 *   <li>A condition is a key, {@code !key}, or keys joined by {@code |} (any of them). The keys of a class are
 *       its element type ({@code int}), its shape ({@code value} or {@code array}) and its capabilities from
 *       the table ({@code numeric}, {@code integral}, ...).</li>
 *   <li>Lines starting with {@code ##} are comments about the template and are dropped.</li>
 *   <li>After substitution, {@code "(, "} becomes {@code "("}: a value has no index, so
 *       {@code get($I$)} and {@code set($I$, $type$ v)} read well in the template and give
 *       {@code get()}, {@code set(int v)} for a value and {@code get(long index)},
 *       {@code set(long index, int v)} for an array.</li>
 * </ul>
 *
 * <p>Files are rewritten only when their text changes, and files in an output folder that no template
 * produces any more are deleted.
 */
public final class Generate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$([A-Za-z]+)\\$");
    private static final Pattern DIRECTIVE = Pattern.compile("\\s*#(if|else|end)\\[([^\\]]+)]\\s*");
    private static final Pattern LINE_CONDITION = Pattern.compile("#\\[([^\\]]+)](.*)");
    private static final String SUFFIX = ".template";
    /** Every key some class has: a condition naming another key is a typing error. */
    private static final Set<String> KNOWN_KEYS = new HashSet<>();

    private Generate() {
    }

    /** One generated class: its keys and placeholder values. */
    record Target(String className, Set<String> keys, Map<String, String> values) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3 || args.length % 2 == 0) {
            System.err.println("usage: java Generate.java <table> <templates> <out> [<templates> <out>]...");
            System.exit(2);
        }
        Path table = Path.of(args[0]);
        List<Target> targets = readTable(table);
        targets.forEach(t -> KNOWN_KEYS.addAll(t.keys()));
        for (int a = 1; a < args.length; a += 2) {
            generate(table, targets, Path.of(args[a]), Path.of(args[a + 1]));
        }
    }

    // ------------------------------------------------------------------------------------------ table

    static List<Target> readTable(Path table) throws IOException {
        List<Target> targets = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(table, StandardCharsets.UTF_8)) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] c = t.split("\\s+");
            if (c.length < 8) {
                throw new IllegalArgumentException(table + ":" + lineNo + ": expected at least 8 columns "
                        + "(type Boxed size raw fn py shapes capabilities...), found " + c.length + ": " + t);
            }
            Set<String> capabilities = new HashSet<>(List.of(c).subList(7, c.length));
            capabilities.remove("-");
            for (String shape : c[6].split(",")) {
                if (!shape.equals("value") && !shape.equals("array")) {
                    throw new IllegalArgumentException(table + ":" + lineNo + ": unknown shape " + shape);
                }
                targets.add(target(c[0], c[1], Integer.parseInt(c[2]), c[3], c[4], c[5], shape, capabilities));
            }
        }
        return targets;
    }

    /** The placeholders of one class. */
    static Target target(String type, String boxed, int size, String raw, String fn, String py, String shape,
                         Set<String> capabilities) {
        boolean array = shape.equals("array");
        String className = "Shared" + cap(type) + (array ? "Array" : "");
        Map<String, String> v = new LinkedHashMap<>();
        v.put("Class", className);
        v.put("shape", shape);
        v.put("type", type);
        v.put("Type", cap(type));
        v.put("TYPE", type.toUpperCase(Locale.ROOT));
        v.put("Boxed", boxed);
        v.put("size", Integer.toString(size));
        v.put("shift", Integer.toString(Integer.numberOfTrailingZeros(size)));
        v.put("py", py);
        v.put("can", String.join(" ", capabilities.stream().sorted().toList()));
        // the type whose bits the update loops compare and swap, and the conversions to and from it
        v.put("raw", raw);
        v.put("Raw", cap(raw));
        v.put("toRaw", raw.equals(type) ? "" : boxed + "." + type + "ToRaw" + cap(raw) + "Bits");
        v.put("fromRaw", raw.equals(type) ? "" : boxed + "." + raw + "BitsTo" + cap(type));
        // the type functions and streams see, and the cast that brings their results back
        v.put("fn", fn);
        v.put("Fn", cap(fn));
        v.put("fromFn", fn.equals(type) || fn.equals("-") ? "" : "(" + type + ") ");
        // the cast that brings int arithmetic back to a narrow integral type
        v.put("narrow", fn.equals("int") && !type.equals("int") ? "(" + type + ") " : "");
        // the index: a parameter, an argument, a type in a {@link}
        v.put("I", array ? "long index" : "");
        v.put("i", array ? "index" : "");
        v.put("L", array ? "long" : "");
        v.put("it", array ? "element {@code index}" : "the value");
        Set<String> keys = new HashSet<>(capabilities);
        keys.add(type);
        keys.add(shape);
        return new Target(className, keys, v);
    }

    private static String cap(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    // ------------------------------------------------------------------------------------------ files

    static void generate(Path table, List<Target> targets, Path templates, Path out) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(templates)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
        Set<Path> written = new HashSet<>();
        for (Path template : files) {
            List<String> lines = Files.readAllLines(template, StandardCharsets.UTF_8);
            Path rel = templates.relativize(template);
            String name = rel.getFileName().toString();
            if (!name.contains("Typed")) {
                throw new IllegalArgumentException(template + ": a template's name must contain \"Typed\"");
            }
            for (Target t : targets) {
                String fileName = name.substring(0, name.length() - SUFFIX.length()).replace("Typed", t.className());
                Path dst = out.resolve(rel).resolveSibling(fileName);
                String header = "// Generated by src/build/Generate.java from " + slashes(template) + " and "
                        + slashes(table) + " (in the sharedmem module): edit those, not this file.\n";
                writeIfChanged(dst, header + expand(template, lines, t));
                written.add(dst.toAbsolutePath().normalize());
            }
        }
        if (Files.isDirectory(out)) {
            try (Stream<Path> s = Files.walk(out)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    if (!written.contains(p.toAbsolutePath().normalize())) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    private static String slashes(Path p) {
        return p.toString().replace('\\', '/');
    }

    private static void writeIfChanged(Path dst, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (Files.exists(dst) && java.util.Arrays.equals(Files.readAllBytes(dst), bytes)) {
            return;
        }
        Files.createDirectories(dst.getParent());
        Files.write(dst, bytes);
    }

    // ------------------------------------------------------------------------------------------ template

    /** An open {@code #if}: its condition, whether its text is kept, whether we are past its {@code #else}. */
    private record Open(String condition, boolean holds, boolean inElse, int line) {
        boolean keeping() {
            return inElse != holds;
        }
    }

    static String expand(Path template, List<String> lines, Target t) {
        StringBuilder out = new StringBuilder();
        Deque<Open> open = new ArrayDeque<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            String where = template + ":" + (n + 1);
            Matcher d = DIRECTIVE.matcher(line);
            if (d.matches()) {
                String cond = d.group(2).strip();
                switch (d.group(1)) {
                    case "if" -> open.push(new Open(cond, holds(cond, t, where), false, n + 1));
                    case "else" -> {
                        Open o = close(open, cond, "else", where);
                        if (o.inElse()) {
                            throw new IllegalArgumentException(where + ": a second #else[" + cond + "]");
                        }
                        open.push(new Open(o.condition(), o.holds(), true, o.line()));
                    }
                    default -> close(open, cond, "end", where);
                }
                continue;
            }
            if (!open.stream().allMatch(Open::keeping) || line.startsWith("##")) {
                continue;
            }
            Matcher c = LINE_CONDITION.matcher(line);
            if (c.matches()) {
                if (!holds(c.group(1).strip(), t, where)) {
                    continue;
                }
                line = c.group(2);
            }
            out.append(substitute(line, t, where).replace("(, ", "(")).append('\n');
        }
        if (!open.isEmpty()) {
            throw new IllegalArgumentException(template + ":" + open.peek().line() + ": #if[" + open.peek().condition()
                    + "] is never closed");
        }
        return out.toString();
    }

    private static Open close(Deque<Open> open, String cond, String directive, String where) {
        if (open.isEmpty() || !open.peek().condition().equals(cond)) {
            throw new IllegalArgumentException(where + ": #" + directive + "[" + cond + "] does not match "
                    + (open.isEmpty() ? "any #if" : "#if[" + open.peek().condition() + "] of line " + open.peek().line()));
        }
        return open.pop();
    }

    private static boolean holds(String condition, Target t, String where) {
        for (String term : condition.split("\\|")) {
            String k = term.strip();
            boolean negated = k.startsWith("!");
            if (negated) {
                k = k.substring(1);
            }
            if (!KNOWN_KEYS.contains(k)) {
                throw new IllegalArgumentException(where + ": unknown key " + k + " in condition " + condition
                        + " (the keys are " + new java.util.TreeSet<>(KNOWN_KEYS) + ")");
            }
            if (t.keys().contains(k) != negated) {
                return true;
            }
        }
        return false;
    }

    private static String substitute(String line, Target t, String where) {
        Matcher m = PLACEHOLDER.matcher(line);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String value = t.values().get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(where + ": unknown placeholder $" + m.group(1) + "$");
            }
            m.appendReplacement(b, Matcher.quoteReplacement(value));
        }
        m.appendTail(b);
        return b.toString();
    }
}
