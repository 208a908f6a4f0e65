package dev.cratereactive.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes a JFR recording of a benchmark fork: where the client's threads spent their CPU samples (by the
 * method on top of the stack, and by component), and what they allocated (by class and by allocation site). The
 * in-process server's threads ({@code bench-server-*}) are left out.
 *
 * <p>JFR samples only threads running Java code: time in the kernel (socket reads and writes, epoll, futex
 * wake-ups), in GC and in the JIT is not in these tables ({@link ProcessCpuProfiler} counts it). Its allocation
 * samples are taken at TLAB refills and over-weight large arrays: use {@code -prof gc} and the step benchmarks
 * for byte counts, and these tables only to find the sites.
 */
public final class JfrHotMethods {

    /** Packages, most specific first, and the component they are reported as. */
    private static final String[][] COMPONENTS = {
        {"dev.cratereactive.internal.codec.", "our decoder (ResponseDecoder)"},
        {"dev.cratereactive.internal.types.", "our value readers / Row"},
        {"dev.cratereactive.bench.", "benchmark code (consumer)"},
        {"dev.cratereactive.", "our client (exchange, routing, transport)"},
        {"tools.jackson.core.json.async.", "Jackson non-blocking parser"},
        {"tools.jackson.core.io.", "Jackson number/text parsing"},
        {"tools.jackson.", "Jackson other"},
        {"reactor.netty.", "Reactor Netty"},
        {"reactor.core.", "Reactor Core operators"},
        {"io.netty.handler.codec.http.", "Netty HTTP codec"},
        {"io.netty.channel.epoll.", "Netty epoll transport"},
        {"io.netty.buffer.", "Netty buffers"},
        {"io.netty.", "Netty other"},
        {"org.openjdk.jmh.", "JMH (Blackhole)"},
        {"java.lang.String", "JDK strings / UTF-8"},
        {"java.lang.", "JDK java.lang"},
        {"java.util.", "JDK java.util"},
        {"jdk.internal.", "JDK internal"},
        {"", "other"},
    };

    private JfrHotMethods() {
    }

    /**
     * @param args {@code <recording.jfr> [top]}
     */
    public static void main(String[] args) throws IOException {
        summarize(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 20, System.out);
    }

    /**
     * @param recording the JFR file
     * @param top how many lines per table
     * @param out where to print
     */
    public static void summarize(Path recording, int top, PrintStream out) throws IOException {
        Map<String, Long> selfByMethod = new HashMap<>();
        Map<String, Long> selfByComponent = new HashMap<>();
        Map<String, Long> inclusiveOurs = new HashMap<>();
        Map<String, Long> allocByClass = new HashMap<>();
        Map<String, Long> allocBySite = new HashMap<>();
        long samples = 0;
        long allocated = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            String type = event.getEventType().getName();
            if (type.equals("jdk.ExecutionSample")) {
                if (serverThread(event.getThread("sampledThread")) || event.getStackTrace() == null
                    || event.getStackTrace().getFrames().isEmpty()) {
                    continue;
                }
                String method = name(event.getStackTrace().getFrames().get(0));
                selfByMethod.merge(method, 1L, Long::sum);
                selfByComponent.merge(component(method), 1L, Long::sum);
                event.getStackTrace().getFrames().stream().map(JfrHotMethods::name)
                    .filter(m -> m.startsWith("dev.cratereactive.") && !m.startsWith("dev.cratereactive.bench."))
                    .distinct().forEach(m -> inclusiveOurs.merge(m, 1L, Long::sum));
                samples++;
            } else if (type.equals("jdk.ObjectAllocationSample")) {
                if (serverThread(event.getThread("eventThread"))) {
                    continue;
                }
                long weight = event.getLong("weight");
                String cls = event.getClass("objectClass").getName();
                allocByClass.merge(cls, weight, Long::sum);
                allocBySite.merge(cls + " <- " + site(event.getStackTrace()), weight, Long::sum);
                allocated += weight;
            }
        }
        out.printf("CPU samples of client threads: %d%n", samples);
        print(out, "by component (self time)", selfByComponent, samples, top, "%");
        print(out, "hottest methods (self time)", selfByMethod, samples, top, "%");
        print(out, "our methods, inclusive (samples with the method anywhere on the stack)", inclusiveOurs, samples,
            top, "%");
        out.printf("%nAllocation samples of client threads: %.1f MiB sampled weight%n", allocated / 1048576.0);
        print(out, "allocated, by class", allocByClass, allocated, top, "%");
        print(out, "allocated, by class <- first frame outside java.*/jdk.*", allocBySite, allocated, top, "%");
    }

    private static boolean serverThread(RecordedThread thread) {
        String name = thread == null ? null : thread.getJavaName();
        return name != null && name.startsWith("bench-server");
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String component(String method) {
        for (String[] component : COMPONENTS) {
            if (method.startsWith(component[0])) {
                return component[1];
            }
        }
        return "other";
    }

    /** The allocating frame that tells the most: the first one that is not in the JDK itself. */
    private static String site(RecordedStackTrace stack) {
        if (stack == null) {
            return "?";
        }
        List<RecordedFrame> frames = stack.getFrames();
        for (RecordedFrame frame : frames) {
            String method = name(frame);
            if (!method.startsWith("java.") && !method.startsWith("jdk.") && !method.startsWith("sun.")) {
                return method + ":" + frame.getLineNumber();
            }
        }
        return frames.isEmpty() ? "?" : name(frames.get(0));
    }

    private static void print(PrintStream out, String title, Map<String, Long> counts, long total, int top,
                              String unit) {
        out.printf("  %s:%n", title);
        Map<String, Long> sorted = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
            .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        for (Map.Entry<String, Long> entry : sorted.entrySet()) {
            out.printf("    %5.1f%s  %s%n", 100.0 * entry.getValue() / Math.max(1, total), unit, entry.getKey());
        }
    }
}
