package org.multiproc4j.docexamples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** How an example's pieces are told apart and placed in its class, and how its lines map back. */
class SnippetSourceTest {

    static DocExample example(String code) {
        return new DocExample(Path.of("m/src/main/java/p/F.java"), 100, "java", code, null, List.of("java.util.List"), "p");
    }

    static List<SnippetSource.Kind> kinds(String code) {
        return SnippetSource.chunks(code).stream().map(SnippetSource.Chunk::kind).collect(Collectors.toList());
    }

    @Test
    void shouldTellStatementsFromDeclarations() {
        assertEquals(List.of(SnippetSource.Kind.IMPORT, SnippetSource.Kind.DECLARATION, SnippetSource.Kind.STATEMENT,
                SnippetSource.Kind.STATEMENT, SnippetSource.Kind.DECLARATION, SnippetSource.Kind.STATEMENT),
                kinds("import java.net.URI;\n"
                        + "record Order(int id) {}\n"
                        + "Order o = new Order(1);\n"
                        + "try (var in = open()) { read(in); } catch (IOException e) { fail(); } finally { done(); }\n"
                        + "static <T> T same(T t) throws Exception { return t; }\n"
                        + "new Thread(() -> { work(); }).start();"));
    }

    @Test
    void shouldNotTakeCallsLambdasOrBlocksForMethods() {
        assertEquals(List.of(SnippetSource.Kind.STATEMENT, SnippetSource.Kind.STATEMENT, SnippetSource.Kind.STATEMENT,
                SnippetSource.Kind.STATEMENT), kinds("for (int i = 0; i < 3; i++) { f(i); }\n"
                        + "synchronized (lock) { g(); }\n"
                        + "Runnable r = () -> { h(); };\n"
                        + "if (a) { b(); } else { c(); }"));
    }

    @Test
    void shouldFindClassesAnnotatedAndPublic() {
        assertEquals(List.of(SnippetSource.Kind.DECLARATION, SnippetSource.Kind.DECLARATION),
                kinds("@Deprecated(since = \"1\") public final class A { void f() {} }\nenum E { X }"));
    }

    @Test
    void shouldMakeDeclaredClassesAndMethodsStaticMembers() {
        SnippetSource u = SnippetSource.of(example("class Box { int v; }\nint twice(int x) { return 2 * x; }\n"
                + "System.out.println(twice(new Box().v));"), "F_L100", List.of("org.multiproc4j.core"));
        String text = u.text();
        assertTrue(text.contains("\nstatic class Box { int v; }\n"), text);
        assertTrue(text.contains("\nstatic int twice(int x)"), text);
        int run = text.indexOf("public static void run() throws Exception {");
        assertTrue(run > 0 && text.indexOf("System.out.println") > run && text.indexOf("static class Box") > run, text);
        assertTrue(u.hasStatements());
    }

    @Test
    void shouldImportTheCommonPackagesTheFilesImportsAndItsPackage() {
        String text = SnippetSource.of(example("import java.net.URI;\nURI u = URI.create(\"x:y\");"), "F_L100",
                List.of("org.multiproc4j.core")).text();
        for (String i : List.of("java.util.*", "java.util.concurrent.*", "java.time.*", "java.nio.*", "java.nio.file.*",
                "java.io.*", "org.multiproc4j.core.*", "p.*", "java.util.List", "java.net.URI")) {
            assertTrue(text.contains("\nimport " + i + ";"), i + " in\n" + text);
        }
        assertTrue(text.startsWith("package " + SnippetSource.PACKAGE + ";\n"), text);
    }

    @Test
    void shouldMapEveryLineOfTheExampleBackToItsFileLine() {
        SnippetSource u = SnippetSource.of(example("int a = 1;\nrecord R() {}\n\nint b = a;"), "F_L100", List.of());
        String[] lines = u.text().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            int fileLine = u.fileLine(i + 1);
            switch (l) {
                case "int a = 1;" -> assertEquals(100, fileLine);
                case "record R() {}" -> assertEquals(101, fileLine);
                case "int b = a;" -> assertEquals(103, fileLine);
                default -> {
                    if (l.startsWith("package") || l.startsWith("import") || l.startsWith("public")) {
                        assertEquals(0, fileLine, l);
                    }
                }
            }
        }
    }

    @Test
    void shouldSayWhenThereIsNothingToRun() {
        assertFalse(SnippetSource.of(example("record R() {}"), "F_L100", List.of()).hasStatements());
        assertFalse(SnippetSource.of(example("// only words"), "F_L100", List.of()).hasStatements());
    }
}
