package dev.cratereactive.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import one.profiler.AsyncProfiler;

/**
 * Records the CPU of one timed pass with async-profiler ({@code cpu} samples every 200 µs, per thread, kernel
 * frames included, which JFR leaves out) when {@code -Dbench.profile=<file>} is set: the collapsed stacks go to
 * the file (one line per stack: {@code [thread];frame;...;frame count}), and the CPU each thread spent per
 * operation is printed, so that the JIT's share and the event loop's show apart.
 */
final class TimedPassProfile {

    private static final long INTERVAL_NANOS = 200_000;

    private final Path out;
    private final AsyncProfiler profiler;

    private TimedPassProfile(Path out) {
        this.out = out;
        this.profiler = AsyncProfiler.getInstance();
    }

    /** @return a started recording, or {@code null} when {@code bench.profile} is not set */
    static TimedPassProfile startIfAsked() throws IOException {
        String file = System.getProperty("bench.profile");
        if (file == null) {
            return null;
        }
        TimedPassProfile profile = new TimedPassProfile(Path.of(file));
        profile.profiler.execute("start,event=cpu,interval=" + INTERVAL_NANOS + ",threads");
        return profile;
    }

    /**
     * Stops, writes the stacks, and prints CPU ms per operation by thread.
     *
     * @param ops the pass's rows or queries
     */
    void stop(long ops) throws IOException {
        profiler.execute("stop,file=" + out.toAbsolutePath() + ",collapsed");
        Map<String, Long> byThread = new TreeMap<>();
        long total = 0;
        for (String line : Files.readAllLines(out)) {
            int space = line.lastIndexOf(' ');
            int firstFrame = line.indexOf(';');
            if (space < 0 || firstFrame < 0) {
                continue;
            }
            // "[name tid=123]": one pool's threads are summed under their name
            String thread = line.substring(0, firstFrame).replaceAll(" tid=\\d+", "").replaceAll("-\\d+]$", "]");
            long samples = Long.parseLong(line.substring(space + 1));
            byThread.merge(thread, samples, Long::sum);
            total += samples;
        }
        System.out.printf(Locale.ROOT, "profile: %s, %d samples of %d µs; CPU per operation by thread:%n", out,
            total, INTERVAL_NANOS / 1000);
        long all = total;
        byThread.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .forEach(e -> System.out.printf(Locale.ROOT, "  %-40s %8.2f µs per op  %5.1f %%%n", e.getKey(),
                e.getValue() * INTERVAL_NANOS / 1e3 / ops, 100.0 * e.getValue() / all));
    }
}
