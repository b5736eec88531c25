package org.multiproc4j.benchmarks.sidebyside;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Facts about this machine and this JVM, which every figure must be stated with. */
final class Machine {
    private Machine() {
    }

    static Map<String, Object> facts() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores_available", Runtime.getRuntime().availableProcessors());
        m.put("cpus_online", read("/sys/devices/system/cpu/online"));
        m.put("cpu_model", firstValue("/proc/cpuinfo", "model name"));
        m.put("mem_total", firstValue("/proc/meminfo", "MemTotal"));
        String os = firstValue("/etc/os-release", "PRETTY_NAME");
        m.put("os", (os == null ? System.getProperty("os.name") : os.replace("\"", "")) + ", kernel "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        return m;
    }

    static Map<String, Object> java() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vm", System.getProperty("java.vm.name"));
        m.put("version", System.getProperty("java.runtime.version"));
        m.put("vendor", System.getProperty("java.vendor"));
        m.put("home", System.getProperty("java.home"));
        m.put("runner_jvm_flags", ManagementFactory.getRuntimeMXBean().getInputArguments());
        return m;
    }

    /** The label used in tables: "OpenJDK 17.0.15". */
    static String javaLabel() {
        String vm = System.getProperty("java.vm.name", "Java");
        String vendor = System.getProperty("java.vendor", "");
        String name = vm.startsWith("OpenJDK") ? "OpenJDK" : vm;
        if (vendor.contains("Eclipse") || vendor.contains("Adoptium")) {
            name = "Temurin";
        }
        return name + " " + System.getProperty("java.version");
    }

    /** The 1-, 5- and 15-minute load averages, or an empty list where unknown. */
    static List<Double> loadAverage() {
        String s = read("/proc/loadavg");
        if (s == null) {
            double one = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return one < 0 ? List.of() : List.of(one);
        }
        String[] f = s.trim().split("\\s+");
        return List.of(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]));
    }

    private static String read(String file) {
        try {
            return Files.readString(Paths.get(file), StandardCharsets.UTF_8).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String firstValue(String file, String key) {
        Path p = Paths.get(file);
        try {
            for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                if (line.startsWith(key)) {
                    int sep = line.indexOf(line.contains("=") && !line.contains(":") ? '=' : ':');
                    return sep < 0 ? null : line.substring(sep + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable
        }
        return null;
    }
}
