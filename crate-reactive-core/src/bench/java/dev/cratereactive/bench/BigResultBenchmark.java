package dev.cratereactive.bench;

import dev.cratereactive.CrateClient;
import dev.cratereactive.Row;
import dev.cratereactive.Statement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * Big results against a real CrateDB ({@code CRATEDB_URL}): a plain {@code sql()} against {@code fetchSize(n)}
 * cursors, for 1,000,000 and 10,000,000 rows {@code [BIGINT, TEXT, DOUBLE]} of one table, created once with
 * {@code INSERT ... SELECT FROM generate_series}. Each case runs in a fresh JVM ({@code -Xmx256m}) that reports
 * rows/s, time to the first row and its heap peak; meanwhile this JVM samples the server's {@code heap['used']}
 * from {@code sys.nodes} every 100 ms and reports its rise over the value before the query: the peak, and the
 * highest 2-second floor (closer to what the server keeps than the peak, which counts garbage). With
 * {@code -Dbench.big.serverPid=<pid>} of a node on this machine it also samples that node's live heap after a
 * full collection every 2 s ({@link ServerLiveHeap}): what the query really holds in the server.
 *
 * <p>Run by the suite with {@code -Dbench.only=big} ({@code bench.big.rows=1000000,10000000},
 * {@code bench.big.sizes=0,10000,1000}; 0 = plain {@code sql()}).
 */
public final class BigResultBenchmark {

    static final String TABLE = "doc.crate_reactive_bench_big";
    private static final String RESULT = "BIG-RESULT";
    private static final long TABLE_ROWS = 10_000_000;

    private BigResultBenchmark() {
    }

    /**
     * @param url the node
     * @return the report, a Markdown table
     */
    static List<String> run(String url) {
        List<Long> rowCounts = longs(System.getProperty("bench.big.rows", "1000000,10000000"));
        List<Long> sizes = longs(System.getProperty("bench.big.sizes", "0,10000,1000"));
        List<String> lines = new ArrayList<>();
        try (CrateClient client = client(url)) {
            ensureTable(client);
            lines.add("| rows | read | seconds | rows/s | first row after | client heap peak | server heap rise: peak"
                + " | server heap rise: highest 2 s floor | server live heap: before, peak, rise"
                + " | server RSS: before, peak, rise |");
            lines.add("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            for (long rows : rowCounts) {
                for (long size : sizes) {
                    Map<String, String> result = measure(client, url, rows, size);
                    String line = String.format("| %,d | %s | %s | %s | %s s | %s MiB | %s MiB | %s MiB | %s | %s |", rows,
                        size == 0 ? "`sql()`" : "`fetchSize(" + String.format("%,d", size) + ")`",
                        result.getOrDefault("seconds", "failed"), result.getOrDefault("rowsPerSecond", "-"),
                        result.getOrDefault("firstRowSeconds", "-"), result.getOrDefault("peakUsedMiB", "-"),
                        result.getOrDefault("serverRiseMiB", "-"), result.getOrDefault("serverFloorRiseMiB", "-"),
                        result.getOrDefault("serverLive", "-"), result.getOrDefault("serverResident", "-"));
                    System.out.println(line);
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    private static void ensureTable(CrateClient client) {
        client.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id BIGINT, label TEXT, v DOUBLE)"
            + " CLUSTERED INTO 2 SHARDS WITH (number_of_replicas = 0)").block(Duration.ofMinutes(1));
        client.execute("REFRESH TABLE " + TABLE).block(Duration.ofMinutes(1));
        Long count = client.sql("SELECT count(*) FROM " + TABLE).map(row -> row.get(0, Long.class)).blockFirst();
        if (count == null || count != TABLE_ROWS) {
            long start = System.nanoTime();
            client.execute("DELETE FROM " + TABLE).block(Duration.ofMinutes(5));
            client.execute("INSERT INTO " + TABLE + " (id, label, v) SELECT x, 'label-' || x, x * 0.5"
                + " FROM generate_series(1, " + TABLE_ROWS + ") AS t(x)").block(Duration.ofMinutes(30));
            client.execute("REFRESH TABLE " + TABLE).block(Duration.ofMinutes(5));
            System.out.printf("created %s with %,d rows in %.0f s%n", TABLE, TABLE_ROWS,
                (System.nanoTime() - start) / 1e9);
        }
    }

    private static Map<String, String> measure(CrateClient client, String url, long rows, long size) {
        List<long[]> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
        Disposable sampler = Flux.interval(Duration.ofMillis(100))
            .onBackpressureDrop() // a loaded server answers slower than the ticks: skip them
            .concatMap(tick -> client.sql("SELECT max(heap['used']) FROM sys.nodes").map(row -> row.get(0, Long.class)))
            .subscribe(used -> samples.add(new long[] {System.nanoTime(), used}));
        sleepQuietly(FLOOR_WINDOW.multipliedBy(2));
        long before = floor(samples, Long.MIN_VALUE, false);
        long started = System.nanoTime();
        Map<String, String> fields = new LinkedHashMap<>();
        ServerLiveHeap live = ServerLiveHeap.fromProperties();
        if (live != null) {
            live.start();
        }
        try {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process process = new ProcessBuilder(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), BigResultBenchmark.class.getName(), url,
                Long.toString(rows), Long.toString(size)).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            process.waitFor(30, TimeUnit.MINUTES);
            String text = new String(out, StandardCharsets.UTF_8);
            text.lines().filter(l -> l.startsWith(RESULT)).findFirst().ifPresentOrElse(l -> {
                for (String part : l.substring(RESULT.length()).trim().split(" ")) {
                    String[] kv = part.split("=");
                    fields.put(kv[0], kv[1]);
                }
            }, () -> System.out.println("case failed: " + text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            sampler.dispose();
            if (live != null) {
                live.close();
                fields.put("serverLive", String.format("%.0f, %.0f, %.0f MiB (%d samples)", mib(live.baseline()),
                    mib(live.peak()), mib(live.peak() - live.baseline()), live.count()));
                fields.put("serverResident", String.format("%.0f, %.0f, %.0f MiB", mib(live.residentBaseline()),
                    mib(live.residentPeak()), mib(live.residentPeak() - live.residentBaseline())));
            }
        }
        long max = samples.stream().filter(s -> s[0] >= started).mapToLong(s -> s[1]).max().orElse(before);
        fields.put("serverRiseMiB", String.format("%.0f", (max - before) / (1024.0 * 1024.0)));
        fields.put("serverFloorRiseMiB", String.format("%.0f", (floor(samples, started, true) - before)
            / (1024.0 * 1024.0)));
        return fields;
    }

    /*
     * heap['used'] counts garbage until the next collection, so its peak says more about GC timing than about what
     * the server keeps. The lowest value in each 2 s window comes close to the live heap (young collections run
     * every few hundred ms under this load); the highest such floor during the query is what the query kept.
     */
    private static final Duration FLOOR_WINDOW = Duration.ofSeconds(2);

    private static long floor(List<long[]> samples, long from, boolean highestWindow) {
        Map<Long, Long> minima = new java.util.TreeMap<>();
        for (long[] sample : samples) {
            if (sample[0] >= from) {
                minima.merge(sample[0] / FLOOR_WINDOW.toNanos(), sample[1], Math::min);
            }
        }
        java.util.LongSummaryStatistics stats = minima.values().stream().mapToLong(Long::longValue).summaryStatistics();
        return stats.getCount() == 0 ? 0 : highestWindow ? stats.getMax() : stats.getMin();
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long serverHeap(CrateClient client) {
        Long used = client.sql("SELECT max(heap['used']) FROM sys.nodes").map(row -> row.get(0, Long.class))
            .blockFirst(Duration.ofSeconds(30));
        return used == null ? 0 : used;
    }

    /**
     * One case in this (fresh) JVM; prints {@code BIG-RESULT seconds= rowsPerSecond= firstRowSeconds= peakUsedMiB=}.
     *
     * @param args node URL, rows, fetch size (0 = plain)
     */
    public static void main(String[] args) {
        String url = args[0];
        long rows = Long.parseLong(args[1]);
        int size = Integer.parseInt(args[2]);
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        try (CrateClient client = client(url)) {
            Statement statement = Statement.of("SELECT id, label, v FROM " + TABLE + " WHERE id <= ?", rows);
            if (size > 0) {
                statement = statement.fetchSize(size);
            }
            client.sql("SELECT 1").blockLast(); // connect and warm up the codec once
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            long start = System.nanoTime();
            AtomicLong first = new AtomicLong();
            long[] checksum = new long[1];
            Long count = client.sql(statement)
                .doOnNext(row -> {
                    if (first.get() == 0) {
                        first.set(System.nanoTime());
                    }
                    checksum[0] += touch(row);
                })
                .count()
                .block(Duration.ofMinutes(30));
            double seconds = (System.nanoTime() - start) / 1e9;
            Check.count("big result " + size, rows, count == null ? -1 : count);
            long peak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
            System.err.println("checksum " + checksum[0]);
            System.out.printf("%s seconds=%.1f rowsPerSecond=%,.0f firstRowSeconds=%.2f peakUsedMiB=%.0f%n", RESULT,
                seconds, rows / seconds, (first.get() - start) / 1e9, peak / (1024.0 * 1024.0));
        }
        System.exit(0);
    }

    /* No read timeout: a plain 10,000,000-row query sends its first byte after 16-35 s, over the 30 s default. */
    private static CrateClient client(String url) {
        return CrateClient.builder().nodes(url).timeout(Duration.ZERO).build();
    }

    private static long touch(Row row) {
        return (Long) row.get(0) + ((String) row.get(1)).length() + ((Double) row.get(2)).longValue();
    }

    private static List<Long> longs(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(String::trim).map(Long::parseLong).toList();
    }
}
