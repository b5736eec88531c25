package org.multiproc4j.docexamples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The extractor finds every block of a fixture, at its line, as a reader sees it, and reports what it cannot read. */
class DocExampleExtractorTest {
    static final Path FIXTURE = Path.of("fixture/src/main/java/org/example/fixture/Fixture.java");

    static String resource(String name) throws IOException {
        try (InputStream in = DocExampleExtractorTest.class.getResourceAsStream("/fixtures/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<DocExample> javadocFixture(List<String> problems) throws IOException {
        List<DocExample> out = new ArrayList<>();
        DocExampleExtractor.javadoc(FIXTURE, resource("Fixture.java.txt"), out, problems);
        return out;
    }

    @Test
    void shouldFindEveryJavadocBlockAtTheLineOfItsFirstLine() throws IOException {
        List<DocExample> found = javadocFixture(new ArrayList<>());
        assertEquals(List.of(9, 14, 20, 24, 29, 40), found.stream().map(DocExample::line).collect(Collectors.toList()));
        assertEquals("fixture/src/main/java/org/example/fixture/Fixture.java:30", found.get(4).location(1));
    }

    @Test
    void shouldStripTheCommentStarsButKeepTheIndentation() throws IOException {
        List<DocExample> found = javadocFixture(new ArrayList<>());
        assertEquals("AtomicInteger n = new AtomicInteger();\nn.incrementAndGet();", found.get(0).code());
        assertEquals("if (true) {\n    throw new IllegalStateException(\"thrown by an example\");\n}", found.get(5).code());
    }

    @Test
    void shouldUndoJavadocEscapes() throws IOException {
        String code = javadocFixture(new ArrayList<>()).get(1).code();
        assertTrue(code.contains("names.add(\"a <b> & c\");"), code);
        assertTrue(code.contains("String at = \"@@\";"), code);
    }

    @Test
    void shouldKeepTheFilesImportsAndPackage() throws IOException {
        DocExample first = javadocFixture(new ArrayList<>()).get(0);
        assertEquals(List.of("java.util.concurrent.atomic.AtomicInteger"), first.fileImports());
        assertEquals("org.example.fixture", first.filePackage());
    }

    @Test
    void shouldTellJavaFromOtherLanguagesAndReadTheCompileOnlyReason() throws IOException {
        List<DocExample> found = javadocFixture(new ArrayList<>());
        assertEquals(List.of("java", "java", "shell", "java", "java", "java"),
                found.stream().map(DocExample::language).collect(Collectors.toList()));
        assertNull(found.get(0).compileOnly());
        assertEquals("needs another machine", found.get(3).compileOnly());
    }

    @Test
    void shouldReportWhatItCannotReadWithFileAndLine() throws IOException {
        List<String> problems = new ArrayList<>();
        javadocFixture(problems);
        String f = "fixture/src/main/java/org/example/fixture/Fixture.java:";
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(f + "50: a <pre> before {@code may only have class="), problems.get(0));
        assertTrue(problems.get(1).startsWith(f + "54: '// compile-only:' must say why"), problems.get(1));
        assertTrue(problems.get(2).startsWith(f + "57: <pre>{@code is not closed"), problems.get(2));
    }

    @Test
    void shouldFindFencedMarkdownBlocks() throws IOException {
        List<DocExample> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        DocExampleExtractor.markdown(Path.of("docs/fixture.md"), resource("fixture.md"), out, problems);
        assertEquals(List.of("java@4", "text@9", "xml@13", "java@17"),
                out.stream().map(e -> e.language() + "@" + e.line()).collect(Collectors.toList()));
        assertEquals("int x = 4;\nSystem.out.println(x * x * x);", out.get(0).code());
        assertEquals("<dependency/>", out.get(2).code());
        assertEquals(List.of("docs/fixture.md:20: the ``` block is never closed"), problems);
    }
}
