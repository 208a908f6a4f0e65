package dev.cratereactive.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time of the whole benchmark JVM (all threads: event loops, the JDK client's executor, GC, JIT; user and
 * system time) per operation, like JMH's {@code -prof gc} normalizes allocation: {@code cpu.norm} in ns/op, and
 * {@code cpu.cores}, the average number of cores busy, and {@code cpu.sys.share}, the kernel's part of it (from
 * {@code /proc/self/stat}, Linux only; 10 ms resolution). When the server runs in another process (the suite
 * arranges it), this is the client's CPU cost alone.
 */
public final class ProcessCpuProfiler implements InternalProfiler {

    private final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuBefore;
    private long wallBefore;
    private long[] ticksBefore;

    @Override
    public String getDescription() {
        return "process CPU time per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuBefore = os.getProcessCpuTime();
        wallBefore = System.nanoTime();
        ticksBefore = ticks();
    }

    @Override
    public List<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                 IterationResult result) {
        long cpu = os.getProcessCpuTime() - cpuBefore;
        long wall = System.nanoTime() - wallBefore;
        long ops = result.getMetadata().getAllOps();
        long[] ticks = ticks();
        long user = ticks[0] - ticksBefore[0];
        long sys = ticks[1] - ticksBefore[1];
        return List.of(
            new ScalarResult("cpu.norm", ops == 0 ? Double.NaN : (double) cpu / ops, "ns/op", AggregationPolicy.AVG),
            new ScalarResult("cpu.cores", (double) cpu / wall, "cores", AggregationPolicy.AVG),
            new ScalarResult("cpu.sys.share", user + sys <= 0 ? Double.NaN : (double) sys / (user + sys), "ratio",
                AggregationPolicy.AVG));
    }

    /** @return user and system ticks of this process, or -1s when there is no {@code /proc} */
    private static long[] ticks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split("\\s+");
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }
}
