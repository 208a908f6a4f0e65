package dev.cratereactive.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real-server benchmark (issue 14; see BENCHMARKS.md): W1 (a 1,000,000-row SELECT, every value read), W2
 * (20,000 point queries, 16 in flight), W3 (200,000 rows inserted with {@code bulk_args} in batches of 1,000) on a
 * real CrateDB, for this client, the raw-HTTP floor ({@link RawHttp}) and the JDK {@code HttpClient} + Jackson
 * baseline ({@link Baseline}), all in the same run. Every figure is the median of fresh JVMs with default flags
 * ({@link RealWorkload}): one full-size warm-up then the timed pass, and, for steady state, six warm-ups. Then the
 * connections one-row queries open ({@code next()}, {@code blockFirst()}), counted by a {@link CountingProxy}.
 *
 * <p>System properties: {@code bench.url} (default: {@code $CRATEDB_URL}, else {@code http://127.0.0.1:4200});
 * {@code bench.reps} (fresh JVMs per figure, default 3); {@code bench.steadyWarmups} (default 6);
 * {@code bench.steadyReps} (fresh JVMs per steady-state figure, default 1);
 * {@code bench.steadyWorkloads} (default {@code W2}, the one with a steady-state goal);
 * {@code bench.steadyClients} (default {@code floor,main,ours}: the baseline's steady state is not a goal);
 * {@code bench.real.only} (comma-separated of {@code W1,W2,W3,steady,connections}, default all);
 * {@code bench.main.classes} (a directory with core's classes of another build, e.g. main's: measured as
 * client "main" next to "ours" in the same run); {@code bench.output} (default {@code target/bench}).
 */
public final class RealServerSuite {

    static final String SCHEMA = "crate_reactive_bench";
    static final String BIG = SCHEMA + ".w1_big";
    private static final Path CORE_CLASSES = Path.of("crate-reactive-core", "target", "classes");
    private static final List<String> ALL_CLIENTS = List.of("floor", "main", "ours", "jdk");
    private static final int W2_IN_FLIGHT = 16;

    private final String node;
    private final int reps;
    private final int steadyWarmups;
    private final List<String> only;
    private final List<String> clients;
    /** Core's classes as on main, to measure "main" next to "ours" in the same run; or null. */
    private final String mainClasses;
    private final int steadyReps;
    private final List<String> steadyWorkloads;
    private final List<String> steadyClients;
    private final List<String> failures = new ArrayList<>();
    private final StringBuilder summary = new StringBuilder();
    private final StringBuilder raw = new StringBuilder();
    private final Map<String, List<Map<String, Double>>> results = new LinkedHashMap<>();

    private RealServerSuite(String node, int reps, int steadyWarmups, List<String> only) {
        this.node = node;
        this.reps = reps;
        this.steadyWarmups = steadyWarmups;
        this.only = only;
        String main = System.getProperty("bench.main.classes", "none");
        this.mainClasses = main.isBlank() || main.equals("none") ? null : main;
        this.clients = ALL_CLIENTS.stream().filter(c -> !c.equals("main") || mainClasses != null).toList();
        this.steadyReps = Integer.getInteger("bench.steadyReps", 1);
        this.steadyWorkloads = List.of(System.getProperty("bench.steadyWorkloads", "W2").split(","));
        this.steadyClients = List.of(System.getProperty("bench.steadyClients", "floor,main,ours").split(","));
    }

    public static void main(String[] args) throws Exception {
        String env = System.getenv("CRATEDB_URL");
        String node = System.getProperty("bench.url", env == null || env.isBlank() ? "http://127.0.0.1:4200" : env);
        RealServerSuite suite = new RealServerSuite(node, Integer.getInteger("bench.reps", 3),
            Integer.getInteger("bench.steadyWarmups", 6),
            List.of(System.getProperty("bench.real.only", "W1,W2,W3,steady,connections").split(",")));
        Path output = Path.of(System.getProperty("bench.output", "target/bench"));
        Files.createDirectories(output);
        suite.run();
        Files.writeString(output.resolve("real-summary.md"), suite.summary);
        Files.writeString(output.resolve("real-raw.txt"), suite.raw);
        System.out.println("Summary written to " + output.resolve("real-summary.md"));
        System.exit(0);
    }

    /**
     * @param i row number
     * @return the TEXT value of row {@code i}: 20 ASCII characters
     */
    static String label(long i) {
        String digits = Long.toString(i);
        return "label-" + "00000000000000".substring(digits.length()) + digits;
    }

    private void run() throws Exception {
        MachineLoad load = new MachineLoad();
        line("# crate-reactive against a real CrateDB (%s)", node);
        line("");
        line("- machine: %d cores, %s %s, JDK %s; client JVMs with default flags",
            Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
            System.getProperty("os.version"), System.getProperty("java.version"));
        line("- server: %s", sql("SELECT version['number'] FROM sys.nodes LIMIT 1"));
        line("- load average before the run: %s", MachineLoad.loadAverage());
        ensureBigTable();
        line("- each figure: median of %d fresh JVMs; one warm-up = 1 full-size pass then the timed pass; "
            + "steady (%s) = %d passes then the timed pass, median of %d", reps, String.join(",", steadyWorkloads),
            steadyWarmups, steadyReps);
        for (int rep = 0; rep < reps; rep++) {
            for (String workload : List.of("W1", "W2", "W3")) {
                if (!only.contains(workload)) {
                    continue;
                }
                for (String client : clients) {
                    measure(workload, client, 1, inFlight(workload));
                }
                if (workload.equals("W1") && clients.contains("ours")) { // ours, reading with get(i) and casts
                    measure(workload, "ours-get", 1, 1);
                }
                if (workload.equals("W3") && rep == 0) { // side figures: one JVM each
                    measure(workload, "ours", 1, 4);
                    measure(workload, "ours-plain", 1, 1);
                }
            }
            if (only.contains("steady") && rep < steadyReps) {
                for (String workload : List.of("W1", "W2", "W3")) {
                    if (only.contains(workload) && steadyWorkloads.contains(workload)) {
                        for (String client : clients) {
                            if (!steadyClients.contains(client)) {
                                continue;
                            }
                            measure(workload, client, steadyWarmups, inFlight(workload));
                        }
                    }
                }
            }
        }
        report();
        if (only.contains("connections")) {
            connections();
        }
        line("");
        line("Run: %s.", load.summary());
        failures.forEach(failure -> line("- FAILED: %s", failure));
    }

    private static int inFlight(String workload) {
        return workload.equals("W2") ? W2_IN_FLIGHT : 1;
    }

    private void measure(String workload, String client, int warmups, int inFlight) {
        String table = BIG;
        if (workload.equals("W3")) {
            table = SCHEMA + ".w3_" + client.replace('-', '_') + "_" + Long.toHexString(System.nanoTime());
            sql("CREATE TABLE " + table + " (id BIGINT, label TEXT, val DOUBLE) CLUSTERED INTO 4 SHARDS "
                + "WITH (number_of_replicas = 0)");
        }
        try {
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(java, "-cp", classPath(client),
                RealWorkload.class.getName(), client.equals("main") ? "ours" : client, workload, Integer.toString(warmups), node, table,
                Integer.toString(inFlight)).redirectErrorStream(true);
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(900, TimeUnit.SECONDS) || process.exitValue() != 0) {
                // recorded and reported; the other measurements go on
                String failure = key(workload, client, warmups, inFlight) + " failed: "
                    + out.lines().filter(l -> l.contains("Exception")).findFirst().orElse("exit " + process.exitValue());
                failures.add(failure);
                System.out.println(failure);
                return;
            }
            String line = out.lines().filter(l -> l.startsWith(RealWorkload.RESULT)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no result from " + workload + " " + client + ":\n" + out));
            Map<String, Double> fields = new LinkedHashMap<>();
            for (String part : line.substring(RealWorkload.RESULT.length()).trim().split(" ")) {
                String[] kv = part.split("=");
                fields.put(kv[0], Double.parseDouble(kv[1]));
            }
            String key = key(workload, client, warmups, inFlight);
            results.computeIfAbsent(key, k -> new ArrayList<>()).add(fields);
            String record = String.format(Locale.ROOT, "%s load=%s %s", key, MachineLoad.loadAverage().split(" ")[0],
                line);
            raw.append(record).append('\n');
            System.out.println(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (workload.equals("W3")) {
                sql("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    /** The suite's class path; for "main", with core's classes replaced by {@code bench.main.classes}. */
    private String classPath(String client) {
        String path = System.getProperty("java.class.path");
        if (!client.equals("main")) {
            return path;
        }
        return Arrays.stream(path.split(java.io.File.pathSeparator))
            .map(entry -> Path.of(entry).toAbsolutePath().normalize().endsWith(CORE_CLASSES) ? mainClasses : entry)
            .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private static String key(String workload, String client, int warmups, int inFlight) {
        return workload + " " + client + " warmups=" + warmups + " inFlight=" + inFlight;
    }

    private double median(String key, String field) {
        List<Map<String, Double>> runs = results.get(key);
        if (runs == null) {
            return Double.NaN;
        }
        double[] values = runs.stream().mapToDouble(r -> r.get(field)).sorted().toArray();
        return values[values.length / 2];
    }

    private double rate(String key) {
        List<Map<String, Double>> runs = results.get(key);
        if (runs == null) {
            return Double.NaN;
        }
        double[] rates = runs.stream().mapToDouble(r -> r.get("ops") / r.get("seconds")).sorted().toArray();
        return rates[rates.length / 2];
    }

    private void report() {
        for (String workload : List.of("W1", "W2", "W3")) {
            if (!only.contains(workload)) {
                continue;
            }
            boolean rows = !workload.equals("W2");
            line("");
            line("## %s: %s", workload, describe(workload));
            line("");
            line("| client | protocol | in flight | %s | range | ratio to floor | CPU %s (timed pass) "
                    + "| CPU s whole process | peak RSS MiB | heap B allocated per %s |", rows ? "rows/s" : "q/s",
                rows ? "ms per 1,000 rows" : "µs per query", rows ? "row" : "query");
            line("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            List<int[]> protocols = new ArrayList<>(List.of(new int[] {1, inFlight(workload)}));
            if (workload.equals("W3")) {
                protocols.add(new int[] {1, 4});
            }
            if (only.contains("steady") && steadyWorkloads.contains(workload)) {
                protocols.add(new int[] {steadyWarmups, inFlight(workload)});
            }
            for (int[] protocol : protocols) {
                double floor = rate(key(workload, "floor", protocol[0], inFlight(workload)));
                List<String> rowsOf = new ArrayList<>(clients);
                rowsOf.add("ours-get");
                rowsOf.add("ours-plain");
                for (String client : rowsOf) {
                    String key = key(workload, client, protocol[0], protocol[1]);
                    if (!results.containsKey(key)) {
                        continue;
                    }
                    double rate = rate(key);
                    double cpuPerOp = median(key, "cpuTimed") / median(key, "ops");
                    line("| %s | %s | %d | %,.0f | %s | %.2f | %s | %.1f | %.0f | %s |", client,
                        protocol[0] == 1 ? "1 warm-up" : protocol[0] + " warm-ups", protocol[1], rate, spread(key),
                        rate / floor, rows ? String.format(Locale.ROOT, "%.2f", cpuPerOp * 1e6)
                            : String.format(Locale.ROOT, "%.1f", cpuPerOp * 1e6),
                        median(key, "cpuTotal"), median(key, "rssPeakMiB"), results.get(key).get(0)
                            .containsKey("allocPerOp") ? String.format(Locale.ROOT, "%,.0f", median(key, "allocPerOp"))
                            : "n/a");
                }
            }
        }
    }

    private String spread(String key) {
        double[] rates = results.get(key).stream().mapToDouble(r -> r.get("ops") / r.get("seconds")).sorted()
            .toArray();
        return String.format(Locale.ROOT, "%,.0f-%,.0f", rates[0], rates[rates.length - 1]);
    }

    private static String describe(String workload) {
        switch (workload) {
            case "W1": return String.format(Locale.ROOT, "SELECT id, label, val FROM big, %,d rows (BIGINT, "
                + "20-char TEXT, DOUBLE), every value read", RealWorkload.W1_ROWS);
            case "W2": return String.format(Locale.ROOT, "%,d point queries WHERE id = ?, %d in flight",
                RealWorkload.W2_QUERIES, W2_IN_FLIGHT);
            default: return String.format(Locale.ROOT, "%,d rows inserted with bulk_args in batches of %,d",
                RealWorkload.W3_ROWS, RealWorkload.W3_BATCH);
        }
    }

    /** Connections opened by 1,000 one-row queries read with next() and with blockFirst(), per build. */
    private void connections() {
        for (String client : clients) {
            if (client.equals("main") || client.equals("ours")) {
                measure("CONN", client, 0, 1);
            }
        }
        line("");
        line("## Connections opened by 1,000 queries that read one row (counted by a relay in front of the node)");
        line("");
        line("| build | `sql(..).next().block()` (1-row result) | `blockFirst()` (1-row result) "
            + "| `blockFirst()` of a 1,000-row result (38 KB) |");
        line("| --- | ---: | ---: | ---: |");
        for (String client : List.of("main", "ours")) {
            String key = key("CONN", client, 0, 1);
            if (results.containsKey(key)) {
                line("| %s | %.0f | %.0f | %.0f |", client, median(key, "next"), median(key, "blockFirst"),
                    median(key, "blockFirstOf1000"));
            }
        }
    }

    private void ensureBigTable() {
        String count = sql("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + SCHEMA
            + "' AND table_name = 'w1_big'");
        if (count.contains("[[1]]") && sql("SELECT count(*) FROM " + BIG).contains("[[" + RealWorkload.W1_ROWS + "]]")) {
            line("- table %s: %,d rows, reused", BIG, RealWorkload.W1_ROWS);
            return;
        }
        long start = System.nanoTime();
        sql("DROP TABLE IF EXISTS " + BIG);
        sql("CREATE TABLE " + BIG + " (id BIGINT PRIMARY KEY, label TEXT, val DOUBLE) CLUSTERED INTO 4 SHARDS "
            + "WITH (number_of_replicas = 0)");
        String insert = "INSERT INTO " + BIG + " (id, label, val) VALUES (?, ?, ?)";
        try (RawHttp http = new RawHttp(node)) {
            for (int b = 0; b < RealWorkload.W1_ROWS; b += 10_000) {
                List<List<Object>> batch = new ArrayList<>(10_000);
                for (long i = b; i < b + 10_000; i++) {
                    batch.add(Arrays.asList(i, label(i), i * 0.5));
                }
                http.exchange(RawHttp.request(node, Baseline.MAPPER.writeValueAsBytes(
                    RealWorkload.body(insert, "bulk_args", batch))));
            }
        }
        sql("REFRESH TABLE " + BIG);
        sql("OPTIMIZE TABLE " + BIG + " WITH (max_num_segments = 1)");
        line("- table %s: %,d rows, loaded in %.0f s", BIG, RealWorkload.W1_ROWS, (System.nanoTime() - start) / 1e9);
    }

    private String sql(String stmt) {
        return RawHttp.text(node, RawHttp.request(node, stmt));
    }

    private void line(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        summary.append(text).append('\n');
        System.out.println(text);
    }
}
