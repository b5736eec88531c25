package org.multiproc4j.docexamples;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a Java example into a compilation unit, remembering which line of the documentation each of its
 * lines came from.
 *
 * <p>The example is cut into top-level pieces (a statement, a block statement, a declaration). Its
 * {@code import} lines join the unit's imports; type and method declarations become static members of
 * the example's class; everything else, in order, becomes the body of
 * {@code public static void run() throws Exception}. The unit imports the example file's own imports, its
 * package, and {@link #COMMON_IMPORTS} plus the project's API packages.
 *
 * <pre>
 * package docexample;
 * import ...;                                  // common, the file's, the example's own
 * public final class core_core_JvmProcess_L40 {
 *     public static void run() throws Exception {
 *         ...statements of the example...
 *     }
 *     ...declarations of the example, made static...
 * }
 * </pre>
 */
public final class SnippetSource {
    /** The package every example class is compiled into (so that it sees only public API). */
    public static final String PACKAGE = "docexample";
    /** What every example may use without importing it. */
    public static final List<String> COMMON_IMPORTS = List.of("java.util.*", "java.util.concurrent.*", "java.time.*",
            "java.nio.*", "java.nio.file.*", "java.io.*");

    private static final Set<String> STATEMENT_WORDS = Set.of("if", "for", "while", "do", "switch", "try",
            "synchronized", "return", "throw", "new", "else", "yield", "assert", "break", "continue", "case",
            "default", "this", "super", "var");
    private static final Set<String> MODIFIERS = Set.of("public", "protected", "private", "static", "final",
            "abstract", "sealed", "strictfp", "default", "synchronized", "native", "transient", "volatile");
    private static final Set<String> CONTINUES_AFTER_BLOCK = Set.of("else", "catch", "finally", "while");

    private final DocExample example;
    private final String className;
    private final String text;
    private final int[] lineMap;
    private final boolean hasStatements;

    private SnippetSource(DocExample example, String className, String text, int[] lineMap, boolean hasStatements) {
        this.example = example;
        this.className = className;
        this.text = text;
        this.lineMap = lineMap;
        this.hasStatements = hasStatements;
    }

    /**
     * Builds the compilation unit of an example.
     *
     * @param example     a Java example.
     * @param className   the simple name of its class (a Java identifier).
     * @param apiPackages packages every example imports on demand (the project's API).
     * @return the unit.
     * @throws IllegalArgumentException if the example is not Java.
     */
    public static SnippetSource of(DocExample example, String className, Collection<String> apiPackages) {
        if (!example.isJava()) {
            throw new IllegalArgumentException(example.location() + " is " + example.language() + ", not Java");
        }
        String code = example.code();
        List<Chunk> chunks = chunks(code);
        Emitter out = new Emitter();
        out.line("package " + PACKAGE + ";", 0);
        Set<String> imports = new LinkedHashSet<>();
        for (String i : COMMON_IMPORTS) {
            imports.add(i);
        }
        for (String p : apiPackages) {
            imports.add(p + ".*");
        }
        if (example.filePackage() != null) {
            imports.add(example.filePackage() + ".*");
        }
        imports.addAll(example.fileImports());
        for (String i : imports) {
            out.line("import " + i + ";", 0);
        }
        for (Chunk c : chunks) {
            if (c.kind == Kind.IMPORT) {
                out.chunk(code, c, example.line(), "");
            }
        }
        out.line("public final class " + className + " {", 0);
        out.line("    public static void run() throws Exception {", 0);
        boolean statements = false;
        for (Chunk c : chunks) {
            if (c.kind == Kind.STATEMENT) {
                out.chunk(code, c, example.line(), "");
                statements |= c.hasCode;
            }
        }
        out.line("    }", 0);
        for (Chunk c : chunks) {
            if (c.kind == Kind.DECLARATION) {
                out.chunk(code, c, example.line(), c.isStatic ? "" : "static ");
            }
        }
        out.line("}", 0);
        return new SnippetSource(example, className, out.text.toString(),
                out.map.stream().mapToInt(Integer::intValue).toArray(), statements);
    }

    /**
     * Returns the example this unit compiles.
     *
     * @return the example.
     */
    public DocExample example() {
        return example;
    }

    /**
     * Returns the simple name of the unit's class.
     *
     * @return the name.
     */
    public String className() {
        return className;
    }

    /**
     * Returns the fully qualified name of the unit's class.
     *
     * @return the name.
     */
    public String qualifiedName() {
        return PACKAGE + "." + className;
    }

    /**
     * Returns the text of the compilation unit.
     *
     * @return the Java source.
     */
    public String text() {
        return text;
    }

    /**
     * Tells whether the example has statements to run (not only declarations).
     *
     * @return whether {@code run()} does something.
     */
    public boolean hasStatements() {
        return hasStatements;
    }

    /**
     * Maps a line of the unit to the line of the documentation file it came from.
     *
     * @param unitLine a 1-based line of {@link #text()}.
     * @return the 1-based line of the example's file, or 0 for a line the harness added.
     */
    public int fileLine(long unitLine) {
        return unitLine >= 1 && unitLine <= lineMap.length ? lineMap[(int) unitLine - 1] : 0;
    }

    enum Kind {
        IMPORT, STATEMENT, DECLARATION
    }

    /** A top-level piece of an example: [start, end) in its text, from the end of the previous piece. */
    record Chunk(int start, int end, int firstToken, Kind kind, boolean isStatic, boolean hasCode) {
    }

    /** Cuts an example into top-level pieces and classifies each. */
    static List<Chunk> chunks(String code) {
        List<Token> tokens = tokens(code);
        List<Chunk> out = new ArrayList<>();
        int pieceStart = 0;
        int depth = 0;
        int first = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is("(") || t.is("{") || t.is("[")) {
                depth++;
            } else if (t.is(")") || t.is("}") || t.is("]")) {
                depth--;
            }
            boolean end = false;
            if (depth == 0 && t.is(";")) {
                end = true;
            } else if (depth == 0 && t.is("}")) {
                Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
                end = next == null || next.is("@") || next.is("{")
                        || (next.word() && !CONTINUES_AFTER_BLOCK.contains(next.text));
            }
            if (end || i == tokens.size() - 1) {
                List<Token> piece = tokens.subList(first, i + 1);
                int stop = i == tokens.size() - 1 ? code.length() : t.end;
                out.add(classify(piece, pieceStart, stop));
                pieceStart = stop;
                first = i + 1;
            }
        }
        if (pieceStart < code.length() && !out.isEmpty()) {
            Chunk last = out.remove(out.size() - 1);
            out.add(new Chunk(last.start, code.length(), last.firstToken, last.kind, last.isStatic, last.hasCode));
        } else if (out.isEmpty()) {
            out.add(new Chunk(0, code.length(), 0, Kind.STATEMENT, false, false));
        }
        return out;
    }

    private static Chunk classify(List<Token> piece, int start, int end) {
        int firstToken = piece.get(0).start;
        if (piece.get(0).is("import")) {
            return new Chunk(start, end, firstToken, Kind.IMPORT, false, true);
        }
        int i = 0;
        boolean isStatic = false;
        while (i < piece.size()) {
            Token t = piece.get(i);
            if (t.is("@") && i + 1 < piece.size() && !piece.get(i + 1).is("interface")) {
                i += 2; // @Name(.Name)*(args)?
                while (i + 1 < piece.size() && piece.get(i).is(".")) {
                    i += 2;
                }
                if (i < piece.size() && piece.get(i).is("(")) {
                    i = closing(piece, i) + 1;
                }
            } else if (t.word() && MODIFIERS.contains(t.text)) {
                isStatic |= t.is("static");
                i++;
            } else {
                break;
            }
        }
        if (i < piece.size()) {
            Token t = piece.get(i);
            boolean recordDecl = t.is("record") && i + 2 < piece.size() && piece.get(i + 1).word()
                    && piece.get(i + 2).is("(");
            if (t.is("class") || t.is("interface") || t.is("enum") || recordDecl || t.is("@")) {
                // records, enums and interfaces are static members anyway; a class must be made one
                return new Chunk(start, end, firstToken, Kind.DECLARATION, isStatic || !t.is("class"), true);
            }
            if (isMethod(piece, i)) {
                return new Chunk(start, end, firstToken, Kind.DECLARATION, isStatic, true);
            }
        }
        return new Chunk(start, end, firstToken, Kind.STATEMENT, false, true);
    }

    /** A method declaration: {@code Type name(...) ... { ... }}, with no '=' or call before its name. */
    private static boolean isMethod(List<Token> piece, int from) {
        if (!piece.get(piece.size() - 1).is("}") || (piece.get(from).word() && STATEMENT_WORDS.contains(piece.get(from).text))) {
            return false;
        }
        int paren = -1;
        for (int i = from; i < piece.size(); i++) {
            Token t = piece.get(i);
            if (t.is("(")) {
                paren = i;
                break;
            }
            if (t.is("=") || t.is(".") || t.is("->") || t.is("::") || t.is("{") || t.is(";")) {
                return false;
            }
        }
        if (paren < from + 2) {
            return false;
        }
        Token name = piece.get(paren - 1);
        Token type = piece.get(paren - 2);
        if (!name.word() || type.is("new")) {
            return false;
        }
        if (!(type.word() || type.is(">") || type.is("]"))) {
            return false;
        }
        int close = closing(piece, paren);
        return close + 1 < piece.size() && (piece.get(close + 1).is("{") || piece.get(close + 1).is("throws"));
    }

    private static int closing(List<Token> tokens, int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            if (tokens.get(i).is("(")) {
                depth++;
            } else if (tokens.get(i).is(")") && --depth == 0) {
                return i;
            }
        }
        return tokens.size() - 1;
    }

    /** A token of Java source: a word (identifier, keyword, number), a literal or an operator. */
    record Token(String text, int start, int end) {
        boolean is(String s) {
            return text.equals(s);
        }

        boolean word() {
            return Character.isJavaIdentifierPart(text.charAt(0));
        }
    }

    private static final List<String> LONG_OPERATORS = List.of(">>>=", "<<=", ">>=", "->", "::", "==", "!=", "<=",
            ">=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "...");

    /** Tokenizes Java source, skipping comments and whitespace (good enough to find top-level pieces). */
    static List<Token> tokens(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            int start = i;
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int skipped = endOfCommentOrLiteral(s, i);
            if (skipped >= 0) {
                i = skipped;
                if (c == '/') {
                    continue; // a comment
                }
            } else if (Character.isJavaIdentifierPart(c)) {
                while (i < n && (Character.isJavaIdentifierPart(s.charAt(i))
                        || (s.charAt(i) == '.' && Character.isDigit(c) && i + 1 < n && Character.isDigit(s.charAt(i + 1))))) {
                    i++;
                }
            } else {
                i++;
                for (String op : LONG_OPERATORS) {
                    if (s.startsWith(op, start)) {
                        i = start + op.length();
                        break;
                    }
                }
            }
            out.add(new Token(s.substring(start, i), start, i));
        }
        return out;
    }

    /**
     * Returns where the comment, string, text block or char literal that starts at {@code i} ends, or -1 if
     * none starts there.
     */
    static int endOfCommentOrLiteral(String s, int i) {
        int n = s.length();
        if (s.startsWith("//", i)) {
            int nl = s.indexOf('\n', i);
            return nl < 0 ? n : nl;
        }
        if (s.startsWith("/*", i)) {
            int e = s.indexOf("*/", i + 2);
            return e < 0 ? n : e + 2;
        }
        if (s.startsWith("\"\"\"", i)) {
            int e = s.indexOf("\"\"\"", i + 3);
            return e < 0 ? n : e + 3;
        }
        char c = s.charAt(i);
        if (c != '"' && c != '\'') {
            return -1;
        }
        int j = i + 1;
        while (j < n && s.charAt(j) != c && s.charAt(j) != '\n') {
            j += s.charAt(j) == '\\' ? 2 : 1;
        }
        return Math.min(n, j + 1);
    }

    /** Writes the unit's text and, for each of its lines, the documentation line it came from. */
    private static final class Emitter {
        final StringBuilder text = new StringBuilder();
        final List<Integer> map = new ArrayList<>();

        void line(String s, int fileLine) {
            text.append(s).append('\n');
            map.add(fileLine);
        }

        void chunk(String code, Chunk c, int firstLine, String insert) {
            int line = firstLine + (int) code.substring(0, c.start).chars().filter(ch -> ch == '\n').count();
            String piece = code.substring(c.start, c.firstToken) + insert + code.substring(c.firstToken, c.end);
            for (String l : piece.split("\n", -1)) {
                line(l, line++);
            }
        }
    }
}
