package org.multiproc4j.benchmarks.sidebyside;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Everything one run of the runner found, for the report. Not thread-safe. */
final class Run {
    final Settings settings;
    final String command;
    final String startedUtc;
    final Map<String, Object> machine;
    final Map<String, Object> java;
    Map<String, Object> python;
    String pythonSkipped;
    final List<WorkloadResult> results = new ArrayList<>();
    List<Double> loadStart;
    List<Double> loadEnd;
    double wallSeconds;

    Run(Settings settings, String command, String startedUtc, Map<String, Object> machine, Map<String, Object> java) {
        this.settings = settings;
        this.command = command;
        this.startedUtc = startedUtc;
        this.machine = machine;
        this.java = java;
    }

    String pythonLabel() {
        if (python == null) {
            return "Python: not run (" + pythonSkipped + ")";
        }
        return "Python " + python.get("version") + " (" + python.get("executable") + ")";
    }

    boolean hasErrors() {
        for (WorkloadResult r : results) {
            if (!r.errors.isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
