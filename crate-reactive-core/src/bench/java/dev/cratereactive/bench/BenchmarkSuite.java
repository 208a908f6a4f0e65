package dev.cratereactive.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.profile.JavaFlightRecorderProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The whole suite in one run (see BENCHMARKS.md): starts the out-of-process {@link BenchServer}, runs the JMH
 * benchmarks (ours and the baselines in the same run, with {@code -prof gc} and {@link ProcessCpuProfiler}),
 * the {@link MemoryProbe}s at several heap sizes, a JFR profile of ours, and prints ours, baseline and their
 * ratio. Fails (exit code 1) when a benchmark or probe did not do what it should.
 *
 * <p>System properties: {@code bench.mode} {@code full} (default) or {@code quick} (short iterations, to check
 * the harness); {@code bench.only}: comma-separated stages of {@code decode,small,bulk,codec,memory,profile}, or {@code big} (big results against {@code CRATEDB_URL}, never by default) (default
 * all); {@code bench.output}: directory for {@code summary.md}, {@code jmh.json}, {@code profile.txt} and the
 * JFR recordings (default {@code target/bench}).
 */
public final class BenchmarkSuite {

    private static final String PACKAGE = BenchmarkSuite.class.getPackageName() + ".";

    private final boolean quick;
    private final Set<String> stages;
    private final Path output;
    private final StringBuilder summary = new StringBuilder();
    private final List<String> failures = new ArrayList<>();

    private BenchmarkSuite(boolean quick, Set<String> stages, Path output) {
        this.quick = quick;
        this.stages = stages;
        this.output = output;
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("bench.only", "").equals("real")) {
            RealServerSuite.main(args);
            return;
        }
        boolean quick = System.getProperty("bench.mode", "full").equals("quick");
        Set<String> stages = Set.of(System.getProperty("bench.only", "decode,small,bulk,codec,memory,profile").split(","));
        Path output = Path.of(System.getProperty("bench.output", "target/bench"));
        Files.createDirectories(output);
        BenchmarkSuite suite = new BenchmarkSuite(quick, stages, output);
        System.exit(suite.run() ? 0 : 1);
    }

    private boolean run() throws RunnerException, IOException {
        MachineLoad load = new MachineLoad();
        line("# crate-reactive benchmark run (%s mode)", quick ? "quick" : "full");
        line("");
        line("- machine: %d cores (%s), %s %s, JDK %s (%s), max heap of forks set per benchmark",
            Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("os.name"),
            System.getProperty("os.version"), System.getProperty("java.version"), System.getProperty("java.vm.name"));
        line("- load average before the run: %s", load.loadAtStart());
        try (BenchServer.Process server = BenchServer.Process.start(DecodeBenchmark.ROWS, "1g")) {
            List<String> includes = new ArrayList<>();
            if (stages.contains("decode")) {
                includes.add(PACKAGE + "DecodeBenchmark\\.");
            }
            if (stages.contains("small")) {
                includes.add(PACKAGE + "SmallQueryBenchmark\\.");
            }
            if (stages.contains("bulk")) {
                includes.add(PACKAGE + "BulkBenchmark\\.");
            }
            if (stages.contains("codec")) {
                includes.add(PACKAGE + "CodecBenchmark\\.");
            }
            if (!includes.isEmpty()) {
                Collection<RunResult> results = measure(server, includes);
                report(results);
            }
            if (stages.contains("memory")) {
                memory(server);
            }
            if (stages.contains("profile")) {
                profile(server);
            }
            if (stages.contains("big")) {
                bigResults();
            }
        }
        line("");
        line("Run: %s.", load.summary());
        if (!failures.isEmpty()) {
            line("");
            line("FAILURES:");
            failures.forEach(failure -> line("- %s", failure));
        }
        Files.writeString(output.resolve("summary.md"), summary);
        System.out.println();
        System.out.println("Summary written to " + output.resolve("summary.md"));
        return failures.isEmpty();
    }

    private ChainedOptionsBuilder options(BenchServer.Process server) {
        ChainedOptionsBuilder options = new OptionsBuilder()
            .jvmArgsPrepend("-Dbench.url.small=" + server.url("small"), "-Dbench.url.bulk=" + server.url("bulk"))
            .shouldFailOnError(true);
        if (quick) {
            options.warmupIterations(1).warmupTime(TimeValue.seconds(1))
                .measurementIterations(2).measurementTime(TimeValue.seconds(1));
        }
        return options;
    }

    private Collection<RunResult> measure(BenchServer.Process server, List<String> includes) throws RunnerException {
        ChainedOptionsBuilder options = options(server)
            .addProfiler(GCProfiler.class)
            .addProfiler(ProcessCpuProfiler.class)
            .resultFormat(ResultFormatType.JSON)
            .result(output.resolve("jmh.json").toString());
        includes.forEach(options::include);
        return new Runner(options.build()).run();
    }

    private void report(Collection<RunResult> results) {
        Map<String, RunResult> byName = new LinkedHashMap<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark().substring(PACKAGE.length());
            String inFlight = result.getParams().getParam("inFlight");
            byName.put(inFlight == null ? name : name + ":" + inFlight, result);
        }
        if (byName.containsKey("DecodeBenchmark.ours")) {
            line("");
            line("## 1. Decode throughput: %,d rows [BIGINT, TEXT(20), DOUBLE], %.1f MB body", DecodeBenchmark.ROWS,
                BenchData.bigResult(DecodeBenchmark.ROWS).length / 1e6);
            line("");
            line("| variant | rows/s | ± (99.9%%) | alloc B/row | ours ÷ this |");
            line("| --- | ---: | ---: | ---: | ---: |");
            RunResult ours = byName.get("DecodeBenchmark.ours");
            for (String name : List.of("ours", "jacksonLimit", "jdkDatabind", "asyncParserFromMemory",
                "decoderFromMemory")) {
                RunResult result = byName.get("DecodeBenchmark." + name);
                if (result != null) {
                    line("| %s | %s | %s | %s | %s |", describeDecode(name), rate(result), error(result),
                        number(secondary(result, "gc.alloc.rate.norm"), 1), ratio(score(ours), score(result)));
                }
            }
            goal("ours >= 0.7 x Jackson streaming from memory (a)", byName.get("DecodeBenchmark.ours"),
                byName.get("DecodeBenchmark.jacksonLimit"), 0.7);
            goal("ours > JDK HttpClient + databind (b)", byName.get("DecodeBenchmark.ours"),
                byName.get("DecodeBenchmark.jdkDatabind"), 1.0);
        }
        if (byName.containsKey("SmallQueryBenchmark.ours:1")) {
            line("");
            line("## 3. Small queries (%s, %d-byte answer), server in its own process",
                BenchData.SMALL_STATEMENT, BenchData.SMALL_BODY.length());
            line("");
            line("| in flight | ours q/s | JDK q/s | ours ÷ JDK | ours CPU µs/q | JDK CPU µs/q | JDK ÷ ours CPU "
                + "| ours alloc B/q | JDK alloc B/q |");
            line("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            for (String inFlight : List.of("1", "64")) {
                RunResult ours = byName.get("SmallQueryBenchmark.ours:" + inFlight);
                RunResult jdk = byName.get("SmallQueryBenchmark.jdk:" + inFlight);
                if (ours != null && jdk != null) {
                    double oursCpu = secondary(ours, "cpu.norm") / 1000;
                    double jdkCpu = secondary(jdk, "cpu.norm") / 1000;
                    line("| %s | %s | %s | %s | %s | %s | %s | %s | %s |", inFlight, rate(ours), rate(jdk),
                        ratio(score(ours), score(jdk)), number(oursCpu, 1), number(jdkCpu, 1), ratio(jdkCpu, oursCpu),
                        number(secondary(ours, "gc.alloc.rate.norm"), 0),
                        number(secondary(jdk, "gc.alloc.rate.norm"), 0));
                }
            }
        }
        if (byName.containsKey("BulkBenchmark.ours:1")) {
            line("");
            line("## 4. Bulk: %,d rows in batches of %,d, server in its own process", BulkBenchmark.ROWS,
                BenchServer.BULK_BATCH);
            line("");
            line("| in flight | ours rows/s (gzip, default) | ours rows/s (no gzip) | JDK rows/s | ours ÷ JDK "
                + "| ours no gzip ÷ JDK | CPU µs/row ours / no gzip / JDK |");
            line("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            for (String inFlight : List.of("1", "4")) {
                RunResult ours = byName.get("BulkBenchmark.ours:" + inFlight);
                RunResult plain = byName.get("BulkBenchmark.oursNoGzip:" + inFlight);
                RunResult jdk = byName.get("BulkBenchmark.jdk:" + inFlight);
                if (ours != null && plain != null && jdk != null) {
                    line("| %s | %s | %s | %s | %s | %s | %s / %s / %s |", inFlight, rate(ours), rate(plain),
                        rate(jdk), ratio(score(ours), score(jdk)), ratio(score(plain), score(jdk)),
                        number(secondary(ours, "cpu.norm") / 1000, 2), number(secondary(plain, "cpu.norm") / 1000, 2),
                        number(secondary(jdk, "cpu.norm") / 1000, 2));
                }
            }
        }
        reportCodec(byName);
    }

    private void reportCodec(Map<String, RunResult> byName) {
        if (!byName.containsKey("CodecBenchmark.decodeSmallOurs")) {
            return;
        }
        line("");
        line("## Steps: the codec alone, from memory (per call)");
        line("");
        line("| step | ours ns | databind ns | ours ÷ databind time | ours B | databind B |");
        line("| --- | ---: | ---: | ---: | ---: | ---: |");
        String[][] steps = {{"encode the small statement", "encodeSmallOurs", "encodeSmallDatabind"},
            {"decode the small answer (90 B)", "decodeSmallOurs", "decodeSmallDatabind"},
            {"encode a 1,000-row bulk body (34.7 KB)", "encodeBulkOurs", "encodeBulkDatabind"},
            {"gzip that body: level 6 (deflate's default) / level 1 (ours)", "gzipBulkBody", "gzipBulkBodyFast"}};
        for (String[] step : steps) {
            RunResult ours = byName.get("CodecBenchmark." + step[1]);
            RunResult other = byName.get("CodecBenchmark." + step[2]);
            if (ours != null && other != null) {
                line("| %s | %s | %s | %s | %s | %s |", step[0], number(score(ours), 0), number(score(other), 0),
                    ratio(score(ours), score(other)), number(secondary(ours, "gc.alloc.rate.norm"), 0),
                    number(secondary(other, "gc.alloc.rate.norm"), 0));
            }
        }
    }

    private static String describeDecode(String name) {
        switch (name) {
            case "ours": return "**ours**: client.sql() over loopback, Flux<Row>";
            case "jacksonLimit": return "(a) Jackson streaming parser, from memory (the limit)";
            case "jdkDatabind": return "(b) JDK HttpClient + databind readTree";
            case "asyncParserFromMemory": return "step: Jackson non-blocking parser, from memory, 8 KiB feeds";
            case "decoderFromMemory": return "step: our ResponseDecoder + Rows, from memory, 8 KiB feeds";
            default: return name;
        }
    }

    private void goal(String what, RunResult ours, RunResult baseline, double factor) {
        if (ours == null || baseline == null) {
            return;
        }
        double ratio = score(ours) / score(baseline);
        line("");
        line("Goal %s: %s (%.2fx).", what, ratio >= factor && (factor != 1.0 || ratio > 1.0) ? "MET" : "NOT MET",
            ratio);
    }

    private void memory(BenchServer.Process server) {
        line("");
        line("## 2. Memory: the %,d-row result consumed once in a fresh JVM, server in its own process",
            DecodeBenchmark.ROWS);
        line("");
        line("| client | -Xmx | outcome | seconds | peak heap used MiB | max live heap after GC MiB | GCs |");
        line("| --- | ---: | --- | ---: | ---: | ---: | ---: |");
        String[][] runs = {{"ours", "16m"}, {"ours", "64m"}, {"jdk", "64m"}, {"ours", "2g"}, {"jdk", "2g"}};
        for (String[] run : runs) {
            Probe probe = Probe.run(run[0], run[1], server.url("big"), DecodeBenchmark.ROWS);
            line("| %s | %s | %s | %s | %s | %s | %s |", run[0].equals("ours") ? "ours" : "JDK HttpClient + databind",
                run[1], probe.outcome(), probe.field("seconds"), probe.field("peakUsedMiB"), probe.field("maxLiveMiB"),
                probe.field("gcs"));
            boolean expectOk = run[0].equals("ours") || run[1].equals("2g");
            if (expectOk != probe.ok()) {
                failures.add("memory probe " + run[0] + " -Xmx" + run[1] + ": " + probe.outcome() + "\n" + probe.output);
            }
        }
    }

    private void profile(BenchServer.Process server) throws RunnerException, IOException {
        Path jfr = output.resolve("jfr");
        String[][] runs = {{"DecodeBenchmark\\.(ours|decoderFromMemory)$", null}, {"SmallQueryBenchmark\\.ours$", "64"},
            {"BulkBenchmark\\.ours$", "4"}};
        for (String[] run : runs) {
            ChainedOptionsBuilder options = options(server)
                .include(PACKAGE + run[0])
                .addProfiler(JavaFlightRecorderProfiler.class, "dir=" + jfr.toAbsolutePath() + ";configName=profile");
            if (run[1] != null) {
                options.param("inFlight", run[1]);
            }
            if (!quick) {
                options.warmupIterations(2).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(2).measurementTime(TimeValue.seconds(3));
            }
            new Runner(options.build()).run();
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
             Stream<Path> files = Files.walk(jfr)) {
            for (Path recording : files.filter(f -> f.toString().endsWith(".jfr")).sorted().collect(Collectors.toList())) {
                out.println();
                out.println("### " + jfr.relativize(recording.getParent()));
                JfrHotMethods.summarize(recording, 15, out);
            }
        }
        String profile = text.toString(StandardCharsets.UTF_8);
        Files.writeString(output.resolve("profile.txt"), profile);
        line("");
        line("## Profile of ours (JFR, measurement iterations only; full tables in profile.txt)");
        line("```%s```", profile);
    }

    private static double score(RunResult result) {
        return result.getPrimaryResult().getScore();
    }

    private static double secondary(RunResult result, String label) {
        Result<?> secondary = result.getSecondaryResults().get(label);
        return secondary == null ? Double.NaN : secondary.getScore();
    }

    private static String rate(RunResult result) {
        return number(score(result), 0);
    }

    private static String error(RunResult result) {
        double error = result.getPrimaryResult().getScoreError();
        return Double.isNaN(error) ? "n/a" : number(error, 0);
    }

    private static String number(double value, int decimals) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    private static String ratio(double ours, double baseline) {
        return String.format(Locale.ROOT, "%.2fx", ours / baseline);
    }

    private void line(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        summary.append(text).append('\n');
        System.out.println(text);
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 2))
                .orElse("unknown CPU");
        } catch (IOException | UncheckedIOException e) {
            return "unknown CPU";
        }
    }

    /** Big results against the real CrateDB of {@code CRATEDB_URL} (not in the default stages: it needs one). */
    private void bigResults() {
        String url = System.getProperty("bench.big.url", "").isBlank() ? System.getenv("CRATEDB_URL")
            : System.getProperty("bench.big.url");
        line("");
        line("## Big results: plain `sql()` vs `fetchSize(n)` cursors, real CrateDB");
        if (url == null || url.isBlank()) {
            line("Skipped: set CRATEDB_URL (or -Dbench.big.url=) to a CrateDB node.");
            return;
        }
        line("");
        BigResultBenchmark.run(url).forEach(this::line);
    }

    /** One {@link MemoryProbe} run in its own JVM. */
    private static final class Probe {
        private final int exitCode;
        private final String output;
        private final Map<String, String> fields = new LinkedHashMap<>();

        private Probe(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
            output.lines().filter(l -> l.startsWith(MemoryProbe.RESULT)).findFirst().ifPresent(l -> {
                for (String part : l.substring(MemoryProbe.RESULT.length()).trim().split(" ")) {
                    String[] kv = part.split("=");
                    fields.put(kv[0], kv[1]);
                }
            });
        }

        static Probe run(String client, String heap, String url, int rows) {
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), MemoryProbe.class.getName(), client, url,
                Integer.toString(rows)).redirectErrorStream(true);
            try {
                Process process = builder.start();
                byte[] out = process.getInputStream().readAllBytes();
                if (!process.waitFor(300, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                String text = new String(out, StandardCharsets.UTF_8);
                System.out.printf("memory probe %s -Xmx%s: exit %d%n%s", client, heap, process.exitValue(), text);
                return new Probe(process.exitValue(), text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        boolean ok() {
            return exitCode == 0 && !fields.isEmpty();
        }

        String outcome() {
            if (ok()) {
                return "completed";
            }
            return output.contains("OutOfMemoryError") ? "**OutOfMemoryError**" : "failed (exit " + exitCode + ")";
        }

        String field(String name) {
            return fields.getOrDefault(name, "-");
        }
    }
}
