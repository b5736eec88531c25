package org.multiproc4j.benchmarks.sidebyside;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.jr.ob.JSON;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;

/**
 * Writes a run's report: {@value #JSON_FILE} (every figure), {@value #MARKDOWN_FILE} (the table of
 * multiproc4j against Python, the targets, the percentiles) and {@value #CHART_FILE} (a bar chart of the
 * speed-ups).
 */
final class Report {
    static final String JSON_FILE = "side-by-side.json";
    static final String MARKDOWN_FILE = "side-by-side.md";
    static final String CHART_FILE = "side-by-side.png";

    private Report() {
    }

    /** One row of the table, computed once for the three outputs. */
    record Row(WorkloadResult result, Comparison comparison, Series java, Series python, double ratio,
               double speedup) {
        String unit() {
            return java != null ? java.unit : python.unit;
        }
    }

    static List<Row> rows(Run run) {
        List<Row> rows = new ArrayList<>();
        for (WorkloadResult r : run.results) {
            for (Comparison c : r.workload.comparisons()) {
                Series j = r.java.get(c.javaMetric());
                Series p = r.python.get(c.pythonMetric());
                double ratio = Double.NaN;
                double speedup = Double.NaN;
                if (j != null && p != null && !j.values.isEmpty() && !p.values.isEmpty()) {
                    double jm = j.stats().median();
                    double pm = convert(p.stats().median(), p.unit, j.unit);
                    ratio = jm / pm;
                    speedup = j.better == Better.LOWER ? pm / jm : jm / pm;
                }
                rows.add(new Row(r, c, j, p, ratio, speedup));
            }
        }
        return rows;
    }

    // ------------------------------------------------------------------------------------------ JSON

    static void writeJson(Run run, Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("suite", "multiproc4j side-by-side: multiproc4j vs Python multiprocessing");
        root.put("date_utc", run.startedUtc);
        root.put("command", run.command);
        root.put("quick", run.settings.quick());
        root.put("figures_meaningful", !run.settings.quick());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("rounds", run.settings.rounds());
        settings.put("trials_per_set", run.settings.trials());
        settings.put("warmup_per_set", run.settings.warmup());
        settings.put("order", "per workload, per round: multiproc4j trial set, then Python trial set (A B A B ...)");
        root.put("settings", settings);
        Map<String, Object> machine = new LinkedHashMap<>(run.machine);
        machine.put("loadavg_start", run.loadStart);
        machine.put("loadavg_end", run.loadEnd);
        root.put("machine", machine);
        root.put("java", run.java);
        if (run.python != null) {
            root.put("python", run.python);
        } else {
            root.put("python", null);
            root.put("python_skipped", run.pythonSkipped);
        }
        root.put("wall_s", Stats.round(run.wallSeconds));

        Map<String, Object> workloads = new LinkedHashMap<>();
        List<Row> rows = rows(run);
        for (WorkloadResult r : run.results) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("title", r.workload.title());
            w.put("idle_strategy", r.workload.idleStrategy());
            w.put("parameters", r.parameters);
            w.put("python_parameters", r.pythonParameters);
            w.put("facts", r.facts);
            w.put("python_notes", r.pythonNotes);
            w.put("errors", r.errors);
            w.put("wall_s", Stats.round(r.wallSeconds));
            w.put("round_loadavg_1min", r.roundLoad);
            w.put("multiproc4j", seriesJson(r.java));
            w.put("python", seriesJson(r.python));
            List<Object> comps = new ArrayList<>();
            for (Row row : rows) {
                if (row.result() != r) {
                    continue;
                }
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("measure", row.comparison().measure());
                c.put("multiproc4j_metric", row.comparison().javaMetric());
                c.put("python_metric", row.comparison().pythonMetric());
                c.put("unit", row.unit());
                c.put("multiproc4j", row.java() == null ? null : row.java().stats().toMap(false));
                c.put("python", row.python() == null ? null : row.python().stats().toMap(false));
                c.put("ratio_multiproc4j_over_python", nullIfNaN(row.ratio()));
                c.put("speedup_of_multiproc4j", nullIfNaN(row.speedup()));
                c.put("better", better(row));
                comps.add(c);
            }
            w.put("comparisons", comps);
            List<Object> targets = new ArrayList<>();
            for (Target t : r.workload.targets()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("target", t.label());
                m.put("source", t.source());
                m.put("numerator", t.numerator().side().name().toLowerCase(Locale.ROOT) + ":" + t.numerator().metric());
                m.put("denominator", t.denominator().side().name().toLowerCase(Locale.ROOT) + ":"
                        + t.denominator().metric());
                m.put("limit", t.limit());
                double ratio = targetRatio(r, t);
                m.put("ratio", nullIfNaN(ratio));
                m.put("met", Double.isNaN(ratio) ? null : ratio <= t.limit());
                targets.add(m);
            }
            w.put("targets", targets);
            workloads.put(r.workload.name(), w);
        }
        root.put("workloads", workloads);
        Files.writeString(file, JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(root) + "\n",
                StandardCharsets.UTF_8);
    }

    private static Map<String, Object> seriesJson(Map<String, Series> series) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Series> e : series.entrySet()) {
            Series s = e.getValue();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("unit", s.unit);
            m.put("better", s.better.json());
            if (!s.values.isEmpty()) {
                m.putAll(s.stats().toMap(s.isTime()));
            }
            m.put("round_medians", rounded(s.roundMedians));
            m.put("values", rounded(s.values));
            out.put(e.getKey(), m);
        }
        return out;
    }

    private static List<Double> rounded(List<Double> values) {
        List<Double> out = new ArrayList<>(values.size());
        for (double v : values) {
            out.add(Stats.round(v));
        }
        return out;
    }

    private static Object nullIfNaN(double v) {
        return Double.isNaN(v) ? null : Stats.round(v);
    }

    static double targetRatio(WorkloadResult r, Target t) {
        Series num = r.series(t.numerator());
        Series den = r.series(t.denominator());
        if (num == null || den == null || num.values.isEmpty() || den.values.isEmpty()) {
            return Double.NaN;
        }
        return num.stats().median() / convert(den.stats().median(), den.unit, num.unit);
    }

    private static String better(Row row) {
        if (Double.isNaN(row.speedup())) {
            return null;
        }
        if (Math.abs(row.speedup() - 1) < 0.005) {
            return "even";
        }
        return row.speedup() > 1 ? "multiproc4j" : "python";
    }

    // ------------------------------------------------------------------------------------------ Markdown

    static String markdown(Run run) {
        StringBuilder b = new StringBuilder();
        b.append("## multiproc4j vs Python multiprocessing, side by side\n\n");
        if (run.settings.quick()) {
            b.append("**Quick mode: a smoke test of the runner; these figures are not meaningful.**\n\n");
        }
        b.append(context(run)).append("\n\n");
        b.append("| workload | measure | multiproc4j | Python | multiproc4j ÷ Python | better |\n");
        b.append("|---|---|---:|---:|---:|---|\n");
        for (Row row : rows(run)) {
            b.append("| ").append(row.result().workload.name())
                    .append(" | ").append(row.comparison().measure())
                    .append(" | ").append(cell(row.java(), row.unit()))
                    .append(" | ").append(cell(row.python(), row.unit()))
                    .append(" | ").append(Double.isNaN(row.ratio()) ? "–" : fmt(row.ratio()) + "×")
                    .append(" | ").append(betterCell(row)).append(" |\n");
        }
        b.append("\nMedians [min–max]; each ratio divides two medians of this run.\n");

        boolean anyTarget = false;
        for (WorkloadResult r : run.results) {
            anyTarget |= !r.workload.targets().isEmpty();
        }
        if (anyTarget) {
            b.append("\n### Targets (ratios of medians in this run)\n\n");
            b.append("| workload | target | ratio | met |\n|---|---|---:|---|\n");
            for (WorkloadResult r : run.results) {
                for (Target t : r.workload.targets()) {
                    double ratio = targetRatio(r, t);
                    b.append("| ").append(r.workload.name()).append(" | ").append(t.label()).append(" (")
                            .append(t.source()).append(") | ")
                            .append(Double.isNaN(ratio) ? "–" : fmt(ratio) + "×").append(" | ")
                            .append(Double.isNaN(ratio) ? "not measured" : ratio <= t.limit() ? "yes" : "**no**")
                            .append(" |\n");
                }
            }
        }

        b.append("\n### Latency percentiles (HdrHistogram)\n\n");
        b.append("| workload | side | metric | n | p50 | p90 | p99 | max |\n|---|---|---|---:|---:|---:|---:|---:|\n");
        for (WorkloadResult r : run.results) {
            percentileRows(b, r, "multiproc4j", r.java);
            percentileRows(b, r, "Python", r.python);
        }

        b.append("\n### Notes\n\n");
        for (WorkloadResult r : run.results) {
            b.append("- **").append(r.workload.name()).append("**: ").append(r.workload.title())
                    .append(". Idle strategy: ").append(r.workload.idleStrategy()).append('.');
            if (!r.facts.isEmpty()) {
                b.append(" Warm-up: ").append(factsText(r.facts)).append('.');
            }
            for (String n : r.pythonNotes) {
                b.append(" Python: ").append(n).append('.');
            }
            b.append('\n');
            for (String e : r.errors) {
                b.append("  - **error**: ").append(e.replace("\n", " ")).append('\n');
            }
        }
        b.append("\n![multiproc4j speed-up over Python](").append(CHART_FILE).append(")\n");
        return b.toString();
    }

    private static String context(Run run) {
        Map<String, Object> m = run.machine;
        return "Measured on " + run.startedUtc.substring(0, 10) + " with `" + run.command + "`: "
                + m.get("cores_available") + " cores (" + m.get("cpu_model") + "), " + Machine.javaLabel() + ", "
                + run.pythonLabel() + "; " + run.settings.rounds() + " rounds × " + run.settings.trials()
                + " trials per side (after " + run.settings.warmup() + " warm-up per trial set), "
                + "the two sides alternating. Load average " + run.loadStart + " at the start, " + run.loadEnd
                + " at the end.";
    }

    private static void percentileRows(StringBuilder b, WorkloadResult r, String side, Map<String, Series> series) {
        for (Map.Entry<String, Series> e : series.entrySet()) {
            Series s = e.getValue();
            if (!s.isTime() || s.values.isEmpty()) {
                continue;
            }
            Stats st = s.stats();
            b.append("| ").append(r.workload.name()).append(" | ").append(side).append(" | ").append(e.getKey())
                    .append(" | ").append(st.n())
                    .append(" | ").append(fmt(st.p50())).append(' ').append(s.unit)
                    .append(" | ").append(fmt(st.p90())).append(' ').append(s.unit)
                    .append(" | ").append(fmt(st.p99())).append(' ').append(s.unit)
                    .append(" | ").append(fmt(st.max())).append(' ').append(s.unit).append(" |\n");
        }
    }

    private static String factsText(Map<String, Object> facts) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Object> e : facts.entrySet()) {
            parts.add(e.getKey().replace('_', ' ') + " = " + e.getValue());
        }
        return String.join("; ", parts);
    }

    private static String cell(Series s, String unit) {
        if (s == null || s.values.isEmpty()) {
            return "–";
        }
        Stats st = s.stats();
        return fmt(convert(st.median(), s.unit, unit)) + " " + unit + " [" + fmt(convert(st.min(), s.unit, unit))
                + "–"
                + fmt(convert(st.max(), s.unit, unit)) + "]";
    }

    private static String betterCell(Row row) {
        String who = better(row);
        if (who == null) {
            return "–";
        }
        if (who.equals("even")) {
            return "even";
        }
        double by = row.speedup() > 1 ? row.speedup() : 1 / row.speedup();
        return (who.equals("python") ? "Python" : "multiproc4j") + ", " + fmt(by) + "×";
    }

    /** Three significant digits, no exponent, for the tables. */
    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).toPlainString();
    }

    /** Converts between time units; other units must match. */
    static double convert(double v, String from, String to) {
        if (from.equals(to)) {
            return v;
        }
        double f = nanos(from);
        double t = nanos(to);
        if (Double.isNaN(f) || Double.isNaN(t)) {
            throw new IllegalArgumentException("cannot compare a figure in " + from + " with one in " + to);
        }
        return v * f / t;
    }

    private static double nanos(String unit) {
        switch (unit) {
            case "ns":
                return 1;
            case "us":
                return 1e3;
            case "ms":
                return 1e6;
            case "s":
                return 1e9;
            default:
                return Double.NaN;
        }
    }

    // ------------------------------------------------------------------------------------------ chart

    static void writeChart(Run run, Path file) throws IOException {
        List<String> labels = new ArrayList<>();
        List<Double> speedups = new ArrayList<>();
        for (Row row : rows(run)) {
            if (!Double.isNaN(row.speedup())) {
                labels.add(row.result().workload.name() + ": " + row.comparison().chartLabel());
                speedups.add(row.speedup());
            }
        }
        String title = "multiproc4j vs Python multiprocessing · " + run.startedUtc.substring(0, 10) + " · "
                + run.machine.get("cores_available") + " cores · " + Machine.javaLabel() + " · "
                + (run.python == null ? "no Python" : "Python " + run.python.get("version"))
                + (run.settings.quick() ? " · QUICK, not meaningful" : "");
        CategoryChart chart = new CategoryChartBuilder().width(1200).height(820).title(title)
                .xAxisTitle("workload: measure")
                .yAxisTitle("speed-up of multiproc4j (×), above 1 = faster than Python").build();
        chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        chart.getStyler().setLabelsFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        chart.getStyler().setLabelsPosition(0.9);
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setYAxisDecimalPattern("0.##'×'"); // the axis and the bars' labels
        // ratios span 0.05× to 300×: a logarithmic axis shows both ends, and long labels are turned
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(0.1);
        chart.getStyler().setXAxisLabelRotation(50);
        chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setAvailableSpaceFill(0.55);
        double top = 1.2;
        for (double s : speedups) {
            top = Math.max(top, s * 2);
        }
        chart.getStyler().setYAxisMax(top);
        if (labels.isEmpty()) {
            labels.add("nothing compared");
            speedups.add(0.0);
        }
        CategorySeries bars = chart.addSeries("multiproc4j speed-up (ratio of medians)", labels, speedups);
        bars.setFillColor(new Color(0x2f6fad));
        List<Double> ones = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            ones.add(1.0);
        }
        CategorySeries parity = chart.addSeries("parity (1×)", labels, ones);
        parity.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        parity.setLineColor(new Color(0xc0392b));
        parity.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        parity.setMarker(new org.knowm.xchart.style.markers.None());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
