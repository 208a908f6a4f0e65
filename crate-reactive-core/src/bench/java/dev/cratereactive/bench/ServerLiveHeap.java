package dev.cratereactive.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live heap of a CrateDB node on this machine: {@code jcmd <pid> GC.run} (a full collection, so garbage does
 * not count) then {@code GC.heap_info}, every {@code period}, on a daemon thread. What the node holds for a query
 * shows as the rise of these samples over the samples before it; {@code heap['used']} of {@code sys.nodes}
 * counts garbage until the next collection and cannot show it (BENCHMARKS.md, "Big results").
 *
 * <p>Enabled by {@code -Dbench.big.serverPid=<pid>} (the node's JVM; {@code jcmd} from
 * {@code -Dbench.big.jcmd}, default the one next to this JVM's {@code java}). The forced collections slow the
 * node down: read rows/s from a run without them.
 */
final class ServerLiveHeap implements AutoCloseable {

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private final String jcmd;
    private final String pid;
    private final List<Long> samples = new CopyOnWriteArrayList<>();
    private final List<Long> residentSamples = new CopyOnWriteArrayList<>();
    private final Thread sampler;
    private volatile boolean running = true;

    private ServerLiveHeap(String jcmd, String pid, Duration period) {
        this.jcmd = jcmd;
        this.pid = pid;
        this.sampler = new Thread(() -> {
            while (running) {
                long next = System.nanoTime() + period.toNanos();
                long used = sample();
                if (running) {
                    samples.add(used);
                    residentSamples.add(resident());
                }
                park(next);
            }
        }, "server-live-heap");
        sampler.setDaemon(true);
    }

    /**
     * @return a sampler of the node named by {@code bench.big.serverPid}, or {@code null} when none is named
     */
    static ServerLiveHeap fromProperties() {
        String pid = System.getProperty("bench.big.serverPid", "");
        if (pid.isBlank()) {
            return null;
        }
        String jcmd = System.getProperty("bench.big.jcmd",
            Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        return new ServerLiveHeap(jcmd, pid.trim(), Duration.ofSeconds(2));
    }

    /** Takes one sample now (the baseline) and starts sampling. */
    ServerLiveHeap start() {
        samples.add(sample());
        residentSamples.add(resident());
        sampler.start();
        return this;
    }

    /** @return the first sample (before the query), bytes */
    long baseline() {
        return samples.get(0);
    }

    /** @return the highest sample, bytes */
    long peak() {
        return samples.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** @return the node's resident set size before the query ({@code VmRSS}), bytes; 0 if unreadable */
    long residentBaseline() {
        return residentSamples.get(0);
    }

    /** @return the highest resident set size sampled, bytes: it counts off-heap buffers too */
    long residentPeak() {
        return residentSamples.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** @return how many samples were taken */
    int count() {
        return samples.size();
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        try {
            sampler.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long sample() {
        jcmd("GC.run");
        Matcher used = USED.matcher(jcmd("GC.heap_info"));
        if (!used.find()) {
            throw new IllegalStateException("no 'used' in jcmd GC.heap_info of " + pid);
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    private long resident() {
        try {
            return Files.readAllLines(Path.of("/proc", pid, "status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
                .findFirst().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }

    private String jcmd(String command) {
        try {
            Process process = new ProcessBuilder(jcmd, pid, command).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid + " " + command + " failed: "
                    + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("jcmd " + jcmd + " not runnable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "used 0K";
        }
    }

    private static void park(long untilNanos) {
        long wait = untilNanos - System.nanoTime();
        if (wait > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
    }
}
