package org.multiproc4j.benchmarks.sidebyside;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run found for one workload: both sides' series, the warm-up's facts, the Python side's parameters
 * and notes, and any errors.
 *
 * <p>Not thread-safe.
 */
final class WorkloadResult {
    final Workload workload;
    final Map<String, Object> parameters;
    final Map<String, Object> facts = new LinkedHashMap<>();
    final Map<String, Series> java = new LinkedHashMap<>();
    final Map<String, Series> python = new LinkedHashMap<>();
    final Map<String, Object> pythonParameters = new LinkedHashMap<>();
    final List<String> pythonNotes = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    /** The 1-minute load average when each round started: a round that ran beside other work shows here. */
    final List<Double> roundLoad = new ArrayList<>();
    double wallSeconds;

    WorkloadResult(Workload workload, Map<String, Object> parameters) {
        this.workload = workload;
        this.parameters = parameters;
    }

    void addJavaRound(TrialSet set) {
        for (Map.Entry<String, TrialSet.Values> e : set.metrics().entrySet()) {
            TrialSet.Values v = e.getValue();
            java.computeIfAbsent(e.getKey(), k -> new Series(v.unit(), v.better())).addRound(v.values());
        }
    }

    @SuppressWarnings("unchecked")
    void addPythonRound(Map<String, Object> json) {
        Map<String, Object> metrics = (Map<String, Object>) json.getOrDefault("metrics", Map.of());
        for (Map.Entry<String, Object> e : metrics.entrySet()) {
            Map<String, Object> m = (Map<String, Object>) e.getValue();
            String unit = String.valueOf(m.get("unit"));
            Better better = Better.parse(String.valueOf(m.get("better")));
            List<Double> values = new ArrayList<>();
            for (Object o : (List<Object>) m.getOrDefault("values", List.of())) {
                values.add(((Number) o).doubleValue());
            }
            python.computeIfAbsent(e.getKey(), k -> new Series(unit, better)).addRound(values);
        }
        if (pythonParameters.isEmpty()) {
            pythonParameters.putAll((Map<String, Object>) json.getOrDefault("params", Map.of()));
            for (Object n : (List<Object>) json.getOrDefault("notes", List.of())) {
                pythonNotes.add(String.valueOf(n));
            }
        }
    }

    Series series(Target.Ref ref) {
        return (ref.side() == Target.Side.JAVA ? java : python).get(ref.metric());
    }
}
