package dev.cratereactive.bench;

import java.lang.management.ManagementFactory;
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
 * {@code cpu.cores}, the average number of cores busy. When the server runs in another process (the suite
 * arranges it), this is the client's CPU cost alone.
 */
public final class ProcessCpuProfiler implements InternalProfiler {

    private final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuBefore;
    private long wallBefore;

    @Override
    public String getDescription() {
        return "process CPU time per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuBefore = os.getProcessCpuTime();
        wallBefore = System.nanoTime();
    }

    @Override
    public List<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                 IterationResult result) {
        long cpu = os.getProcessCpuTime() - cpuBefore;
        long wall = System.nanoTime() - wallBefore;
        long ops = result.getMetadata().getAllOps();
        return List.of(
            new ScalarResult("cpu.norm", ops == 0 ? Double.NaN : (double) cpu / ops, "ns/op", AggregationPolicy.AVG),
            new ScalarResult("cpu.cores", (double) cpu / wall, "cores", AggregationPolicy.AVG));
    }
}
