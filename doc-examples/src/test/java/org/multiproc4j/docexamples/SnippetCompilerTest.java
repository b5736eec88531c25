package org.multiproc4j.docexamples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness cannot pass silently: a broken example of the fixture is reported at its file and line with the
 * compiler's message, the others still compile, and an example that throws or hangs fails its run.
 */
class SnippetCompilerTest {
    @TempDir
    static Path dir;

    static List<SnippetSource> units;
    static SnippetCompiler.Result result;

    @BeforeAll
    static void compileTheFixture() throws Exception {
        List<DocExample> found = DocExampleExtractorTest.javadocFixture(new ArrayList<>());
        found.add(new DocExample(Path.of("docs/hang.md"), 7, "java", "Thread.sleep(60_000);", null, List.of(), null));
        // the fixture's package does not exist: import nothing from it
        List<DocExample> examples = new ArrayList<>();
        for (DocExample e : found) {
            examples.add(new DocExample(e.file(), e.line(), e.language(), e.code(), e.compileOnly(),
                    e.fileImports(), null));
        }
        units = DocExamplesHarness.units(examples, List.of());
        result = SnippetCompiler.compile(units, dir, System.getProperty("java.class.path"));
    }

    static SnippetSource unitAt(int line) {
        return units.stream().filter(u -> u.example().line() == line).findFirst().orElseThrow();
    }

    @Test
    void shouldReportTheBrokenExampleAtItsFileAndLine() {
        assertEquals(1, result.errors().size(), result.errors().toString());
        List<String> messages = result.errors().get(unitAt(29).example());
        assertTrue(messages.get(0).startsWith("fixture/src/main/java/org/example/fixture/Fixture.java:30: cannot find symbol"),
                messages.get(0));
        assertTrue(messages.get(0).contains("undefinedName"), messages.get(0));
    }

    @Test
    void shouldStillCompileTheOtherExamples() {
        for (SnippetSource u : units) {
            boolean broken = u.example().line() == 29;
            assertEquals(!broken, result.compiled(u.example()), u.example().location());
            assertEquals(!broken, Files.exists(result.classes().resolve(SnippetSource.PACKAGE).resolve(u.className() + ".class")),
                    u.className());
        }
    }

    @Test
    void shouldRunAnExample() throws Exception {
        try (SnippetRunner runner = new SnippetRunner(result.classes())) {
            runner.run(unitAt(14), Duration.ofSeconds(30));
        }
    }

    @Test
    void shouldFailTheRunOfAnExampleThatThrows() throws Exception {
        try (SnippetRunner runner = new SnippetRunner(result.classes())) {
            AssertionError e = assertThrows(AssertionError.class, () -> runner.run(unitAt(40), Duration.ofSeconds(30)));
            assertTrue(e.getMessage().startsWith("fixture/src/main/java/org/example/fixture/Fixture.java:40: the example"
                    + " threw java.lang.IllegalStateException: thrown by an example"), e.getMessage());
            assertInstanceOf(IllegalStateException.class, e.getCause());
        }
    }

    @Test
    void shouldFailTheRunOfAnExampleThatHangs() throws Exception {
        try (SnippetRunner runner = new SnippetRunner(result.classes())) {
            AssertionError e = assertThrows(AssertionError.class, () -> runner.run(unitAt(7), Duration.ofMillis(200)));
            assertTrue(e.getMessage().startsWith("docs/hang.md:7: the example did not finish within PT0.2S; it was at"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("java.lang.Thread.sleep"), e.getMessage());
        }
    }

    @Test
    void shouldCountWarningsAsErrors() throws Exception {
        DocExample raw = new DocExample(Path.of("docs/raw.md"), 3, "java", "List raw = new ArrayList();\nraw.add(1);",
                null, List.of(), null);
        SnippetCompiler.Result r = SnippetCompiler.compile(DocExamplesHarness.units(List.of(raw), List.of()),
                dir.resolve("raw"), System.getProperty("java.class.path"));
        List<String> messages = r.errors().get(raw);
        assertFalse(messages == null || messages.isEmpty(), "raw types pass -Xlint:all -Werror");
        assertTrue(messages.get(0).startsWith("docs/raw.md:3: warning: "), messages.get(0));
    }
}
