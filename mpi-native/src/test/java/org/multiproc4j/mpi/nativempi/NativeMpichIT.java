package org.multiproc4j.mpi.nativempi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.internal.ChildCommand;
import org.multiproc4j.mpi.Mpi;
import org.multiproc4j.mpi.contract.CommContract;
import org.multiproc4j.mpi.contract.ContractMain;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * The bridge's contract on MPICH: 2 ranks under MPICH's launcher ({@code mpiexec.mpich}, Debian's {@code mpich}
 * package, which bin/setup-mpi installs beside Open MPI), the backend loading {@code libmpich.so.12} and its
 * {@code int}-handle ABI. Skipped where MPICH is not installed.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class NativeMpichIT {
    static final Path MPIEXEC = Path.of("/usr/bin/mpiexec.mpich");

    @Test
    void shouldKeepTheWholeContractOnMpich() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(MPIEXEC), "no MPICH here (" + MPIEXEC + "; bin/setup-mpi installs it)");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(MPIEXEC.toString(), "-n", "2", java.toString()));
        cmd.addAll(ChildCommand.providerOptions(Runtime.version()));
        cmd.addAll(ChildCommand.inheritedProperties());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-D" + Mpi.BACKEND_PROP + "=" + NativeProvider.NAME);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ContractMain.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try {
            StringBuilder text = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    text.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (java.io.IOException e) {
                    text.append("(output lost: ").append(e).append(')');
                }
            });
            reader.start();
            boolean ended = p.waitFor(Timeouts.scaled(Duration.ofMinutes(3)).toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
            }
            reader.join();
            out = text.toString();
            assertTrue(ended, "the MPICH job did not end in time:\n" + out);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (String name : CommContract.CASES.keySet()) {
            assertTrue(out.lines().anyMatch(l -> l.equals("PASS " + name)), "case " + name + " did not pass on MPICH:\n"
                    + String.join(File.separator.equals("/") ? "\n" : "\r\n", out.lines().toList()));
        }
        assertEquals(0, p.exitValue(), out);
    }
}
