package dev.cratereactive.bench;

import dev.cratereactive.BulkOutcome;
import dev.cratereactive.BulkWriter;
import dev.cratereactive.CrateClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The bulk writer against a real CrateDB ({@code CRATEDB_URL}, default {@code http://127.0.0.1:4200}): 1,000,000
 * rows {@code [BIGINT, TEXT(20), DOUBLE]} into a fresh table (no replicas) with
 * <ul>
 *   <li>{@code loop}: the baseline a user writes by hand, {@code client.bulk()} of 1,000 rows, one request at a
 *       time ({@code concatMap});</li>
 *   <li>{@code writer}: {@code client.bulkWriter(..).build()} with defaults (1,000 rows, 2 in flight);</li>
 *   <li>{@code writer4}: the same with {@code maxInFlight(4)}.</li>
 * </ul>
 * One warm-up round of 100,000 rows each, then {@code bench.rounds} (default 3) rounds, the three variants
 * interleaved in each round so that the machine's load hits them alike. Reports the median rows/s and client CPU
 * (this JVM's process CPU time: the server runs in its own process) per row, and their ratios to the loop.
 *
 * <pre>mvn -q -pl crate-reactive-core -Pbench test-compile exec:exec@writer</pre>
 */
public final class BulkWriterBench {

    private static final String ROW_TEXT = "abcdefghijklmnopqrst";
    private static final com.sun.management.OperatingSystemMXBean OS =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    record Result(String variant, long rows, long wallNanos, long cpuNanos) {
        double rowsPerSecond() {
            return rows * 1e9 / wallNanos;
        }

        double cpuMicrosPerRow() {
            return cpuNanos / 1e3 / rows;
        }
    }

    public static void main(String[] args) {
        String url = System.getenv().getOrDefault("CRATEDB_URL", "http://127.0.0.1:4200").split(",")[0];
        long rows = Long.getLong("bench.rows", 1_000_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        Map<String, Variant> variants = new LinkedHashMap<>();
        variants.put("loop", BulkWriterBench::loop);
        variants.put("writer", (client, table, n) -> writer(client, table, n, 2));
        variants.put("writer4", (client, table, n) -> writer(client, table, n, 4));
        MachineLoad load = new MachineLoad();
        try (CrateClient client = CrateClient.builder().nodes(url).build()) {
            System.out.printf(Locale.ROOT, "# Bulk writer vs one-at-a-time bulk() loop: %,d rows, %d rounds, %s%n", rows,
                rounds, url);
            System.out.println("- load average before: " + load.loadAtStart());
            for (String variant : variants.keySet()) {
                Result warmUp = run(client, variant, 100_000, variants.get(variant));
                System.out.printf(Locale.ROOT, "  warm-up %-8s %,10.0f rows/s%n", variant, warmUp.rowsPerSecond());
                System.out.flush();
            }
            Map<String, List<Result>> results = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                for (var variant : variants.entrySet()) {
                    Result result = run(client, variant.getKey(), rows, variant.getValue());
                    System.out.printf(Locale.ROOT, "  round %d %-8s %,10.0f rows/s  %6.2f µs CPU/row%n", round,
                        result.variant(), result.rowsPerSecond(), result.cpuMicrosPerRow());
                    System.out.flush();
                    results.computeIfAbsent(variant.getKey(), k -> new ArrayList<>()).add(result);
                }
            }
            Result loop = median(results.get("loop"));
            System.out.println();
            System.out.println("| variant | rows/s (median) | vs loop | client CPU µs/row | vs loop |");
            System.out.println("| --- | ---: | ---: | ---: | ---: |");
            for (List<Result> list : results.values()) {
                Result median = median(list);
                System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2fx | %.2f | %.2fx |%n", median.variant(),
                    median.rowsPerSecond(), median.rowsPerSecond() / loop.rowsPerSecond(), median.cpuMicrosPerRow(),
                    median.cpuMicrosPerRow() / loop.cpuMicrosPerRow());
            }
            System.out.println();
            System.out.println("- " + load.summary() + " (CrateDB counts as another process)");
        }
    }

    private static Result median(List<Result> results) {
        List<Result> sorted = results.stream().sorted(Comparator.comparingDouble(Result::rowsPerSecond)).toList();
        Result mid = sorted.get(sorted.size() / 2);
        double cpu = results.stream().mapToDouble(Result::cpuMicrosPerRow).sorted().toArray()[results.size() / 2];
        return new Result(mid.variant(), mid.rows(), mid.wallNanos(), Math.round(cpu * 1e3 * mid.rows()));
    }

    /** Writes {@code rows} rows into {@code table}; completes with how many CrateDB reported written. */
    @FunctionalInterface
    interface Variant {
        Mono<Long> write(CrateClient client, String table, long rows);
    }

    private static Result run(CrateClient client, String variant, long rows, Variant load) {
        String table = "doc.bench_writer_" + variant + "_" + Long.toHexString(System.nanoTime());
        client.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, label TEXT, value DOUBLE PRECISION)"
            + " WITH (number_of_replicas = 0)").block(Duration.ofMinutes(1));
        try {
            System.gc();
            long cpu = OS.getProcessCpuTime();
            long start = System.nanoTime();
            long written = load.write(client, table, rows).block(Duration.ofMinutes(20));
            long wall = System.nanoTime() - start;
            cpu = OS.getProcessCpuTime() - cpu;
            if (written != rows) {
                throw new IllegalStateException(variant + " wrote " + written + " of " + rows + " rows");
            }
            client.execute("REFRESH TABLE " + table).block(Duration.ofMinutes(1));
            long count = client.sql("SELECT count(*) AS n FROM " + table).map(row -> row.get("n", Long.class))
                .blockFirst(Duration.ofMinutes(1));
            if (count != rows) {
                throw new IllegalStateException(variant + ": the table holds " + count + " of " + rows + " rows");
            }
            return new Result(variant, rows, wall, cpu);
        } finally {
            client.execute("DROP TABLE IF EXISTS " + table).block(Duration.ofMinutes(1));
        }
    }

    private static List<Object> row(long id) {
        return List.of(id, ROW_TEXT, id * 0.5);
    }

    /** The baseline: cut the rows into lists of 1,000 and send one bulk request at a time. */
    private static Mono<Long> loop(CrateClient client, String table, long rows) {
        String insert = "INSERT INTO " + table + " (id, label, value) VALUES (?, ?, ?)";
        return Flux.range(0, (int) ((rows + 999) / 1_000))
            .concatMap(batch -> {
                List<List<?>> args = new ArrayList<>(1_000);
                for (long id = batch * 1_000L + 1; id <= Math.min(rows, batch * 1_000L + 1_000); id++) {
                    args.add(row(id));
                }
                return client.bulk(insert, args);
            })
            .map(result -> result.results().stream().filter(r -> r.rowCount() == 1).count())
            .reduce(0L, Long::sum);
    }

    private static Mono<Long> writer(CrateClient client, String table, long rows, int maxInFlight) {
        BulkWriter<Long> writer = client.<Long>bulkWriter("INSERT INTO " + table + " (id, label, value) VALUES (?, ?, ?)",
                BulkWriterBench::row)
            .maxInFlight(maxInFlight)
            .build();
        return writer.write(Flux.range(1, (int) rows).map(Integer::longValue))
            .filter(BulkOutcome::isSuccess)
            .count();
    }
}
