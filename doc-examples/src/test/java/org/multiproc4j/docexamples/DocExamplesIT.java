package org.multiproc4j.docexamples;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * Every code example of the Javadoc and the Markdown documentation compiles, and runs: users paste them.
 *
 * <p>{@link DocExampleExtractor} finds the examples in every module's sources and in the Markdown files,
 * {@link SnippetSource} makes each Java example a class, {@link SnippetCompiler} compiles them all in one
 * call against this module's test classpath (every module), and each example then runs in this JVM with a
 * time limit ({@link SnippetRunner}), under {@link LeakCheck}: it must leave no child JVM and no
 * {@code /dev/shm} file behind. How to write an example that passes: {@code CONTRIBUTING.md}.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DocExamplesIT {

    /**
     * TEMPORARY: files whose examples are not checked yet, as {@code package.Class} or {@code package.*} (that
     * package and those under it). Each entry must match a file: remove it when its reason is gone.
     * (None at present.)
     */
    static final List<String> TEMPORARY_EXCLUSIONS = List.of();

    /** Set to {@code true} to check the temporarily excluded files as well (to see what they need). */
    static final String CHECK_ALL_PROP = "multiproc4j.docExamples.checkAll";

    private static Catalog catalog;
    private static final AtomicInteger RAN = new AtomicInteger();

    /** What was found and compiled, built once for all the tests of this class. */
    record Catalog(Path root, DocExampleExtractor.Extraction found, List<DocExample> checked,
            List<DocExample> excluded, List<SnippetSource> units, SnippetCompiler.Result compiled,
            Map<String, Integer> exclusionHits) {
    }

    static synchronized Catalog catalog() {
        if (catalog != null) {
            return catalog;
        }
        Path root = DocExamplesHarness.projectRoot();
        DocExampleExtractor.Extraction found = DocExampleExtractor.scan(root);
        boolean checkAll = Boolean.getBoolean(CHECK_ALL_PROP);
        Map<String, Integer> hits = new TreeMap<>();
        TEMPORARY_EXCLUSIONS.forEach(e -> hits.put(e, 0));
        List<DocExample> checked = new ArrayList<>();
        List<DocExample> excluded = new ArrayList<>();
        for (DocExample ex : found.examples()) {
            String match = DocExamplesHarness.exclusion(ex, TEMPORARY_EXCLUSIONS);
            if (match != null) {
                hits.merge(match, 1, Integer::sum);
            }
            (match != null && !checkAll ? excluded : checked).add(ex);
        }
        Collection<String> api = DocExamplesHarness.apiPackages(root, classpath());
        List<SnippetSource> units = DocExamplesHarness.units(checked, api);
        long t0 = System.nanoTime();
        SnippetCompiler.Result compiled = SnippetCompiler.compile(units,
                root.resolve("doc-examples/target/doc-examples"), System.getProperty("java.class.path"));
        long java = checked.stream().filter(DocExample::isJava).count();
        System.out.printf("documentation examples: %d found; %d Java examples compiled in %d ms (%d failed)%n",
                found.examples().size(), java, (System.nanoTime() - t0) / 1_000_000, compiled.errors().size());
        catalog = new Catalog(root, found, checked, excluded, units, compiled, hits);
        return catalog;
    }

    static List<String> classpath() {
        return List.of(System.getProperty("java.class.path").split(File.pathSeparator));
    }

    static Stream<Named<SnippetSource>> runnableExamples() {
        return catalog().units().stream().filter(u -> u.example().compileOnly() == null)
                .map(u -> Named.of(u.example().location(), u));
    }

    @Test
    void shouldReadEveryExampleBlock() {
        List<String> problems = catalog().found().problems();
        assertTrue(problems.isEmpty(), "documentation blocks that cannot be read:\n" + String.join("\n", problems));
    }

    @Test
    void shouldCompileEveryJavaExample() {
        Map<DocExample, List<String>> errors = catalog().compiled().errors();
        if (!errors.isEmpty()) {
            fail(errors.size() + " documentation examples do not compile:\n" + errors.values().stream()
                    .map(DocExamplesIT::firstErrors).collect(Collectors.joining("\n")));
        }
    }

    @Test
    void shouldHaveEveryModuleWithExamplesOnTheClasspath() {
        List<String> missing = DocExamplesHarness.modulesMissingFromClasspath(catalog().root(), catalog().checked(),
                classpath());
        assertTrue(missing.isEmpty(), "modules with documentation examples that doc-examples/pom.xml does not "
                + "depend on (add them, test scope): " + missing);
    }

    @Test
    void shouldNameExistingFilesInTheTemporaryExclusions() {
        List<String> stale = catalog().exclusionHits().entrySet().stream().filter(e -> e.getValue() == 0)
                .map(Map.Entry::getKey).collect(Collectors.toList());
        assertTrue(stale.isEmpty(), "TEMPORARY_EXCLUSIONS entries that match no file with examples: remove "
                + stale);
    }

    @Test
    void shouldGiveEveryRunnableExampleSomethingToRun() {
        List<String> idle = catalog().units().stream()
                .filter(u -> u.example().compileOnly() == null && !u.hasStatements())
                .map(u -> u.example().location()).collect(Collectors.toList());
        assertTrue(idle.isEmpty(), "examples that only declare types or methods: add the statements that use them"
                + " (or say '" + DocExample.COMPILE_ONLY + " <why>'): " + idle);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runnableExamples")
    void shouldRun(SnippetSource unit) throws Exception {
        Catalog c = catalog();
        List<String> errors = c.compiled().errors().get(unit.example());
        if (errors != null) {
            fail("does not compile:\n" + firstErrors(errors));
        }
        System.out.println("-- running " + unit.example().location());
        try (SnippetRunner runner = new SnippetRunner(c.compiled().classes())) {
            runner.run(unit, Timeouts.LONG);
        }
        RAN.incrementAndGet();
    }

    /** An example's first three messages (the rest usually follow from them). */
    static String firstErrors(List<String> messages) {
        String shown = String.join("\n", messages.subList(0, Math.min(3, messages.size())));
        return messages.size() > 3 ? shown + "\n  (" + (messages.size() - 3) + " more)" : shown;
    }

    @AfterAll
    static void summary() {
        if (catalog == null) {
            return;
        }
        Catalog c = catalog;
        List<DocExample> java = c.checked().stream().filter(DocExample::isJava).collect(Collectors.toList());
        List<DocExample> compileOnly = java.stream().filter(e -> e.compileOnly() != null).collect(Collectors.toList());
        Map<String, Long> other = c.checked().stream().filter(e -> !e.isJava())
                .collect(Collectors.groupingBy(DocExample::language, TreeMap::new, Collectors.counting()));
        StringBuilder s = new StringBuilder();
        s.append(String.format("documentation examples: %d Java compiled (%d did not compile), %d run and passed,"
                + " %d compile-only; not Java (not compiled): %s; not checked (TEMPORARY_EXCLUSIONS): %d%n",
                java.size(), c.compiled().errors().size(), RAN.get(), compileOnly.size(), other,
                c.excluded().size()));
        for (DocExample e : compileOnly) {
            s.append("  compile-only ").append(e.location()).append(": ").append(e.compileOnly()).append('\n');
        }
        System.out.print(s);
    }
}
