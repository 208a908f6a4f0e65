package dev.cratereactive.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateClientBuilder;
import dev.cratereactive.Row;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import tools.jackson.databind.JsonNode;

/**
 * One measurement of the real-server benchmark ({@link RealServerSuite}), in a fresh JVM with default flags: one
 * client, one workload, {@code warmups} full-size passes, then one timed pass. Prints one line:
 * {@code REAL-RESULT ops=<rows or queries> seconds=<timed pass> cpuTimed=<process CPU s of the timed pass>
 * cpuTotal=<process CPU s since start> rssPeakMiB=<VmHWM> allocPerOp=<heap bytes allocated per row or query in the
 * timed pass, all threads>}.
 *
 * <p>Arguments: {@code ours|floor|jdk|ours-get (W1 only)|ours-plain (W3 only) W1|W2|W3 <warm-ups> <node url> <table>
 * <in flight>}. W1 reads every value (ours with {@code getLong}/{@code getDouble} where core has them, ours-get
 * with {@code get(i)} and casts)
 * of every row of {@code table}; W2 runs {@value #W2_QUERIES} point queries on it; W3 inserts {@value #W3_ROWS}
 * rows into {@code table} in batches of {@value #W3_BATCH}. With {@code -Dbench.profile=<file>} the timed pass is
 * profiled ({@link TimedPassProfile}).
 */
public final class RealWorkload {

    /** Prefix of the result line. */
    static final String RESULT = "REAL-RESULT";
    static final int W1_ROWS = 1_000_000;
    static final int W2_QUERIES = 20_000;
    static final int W3_ROWS = 200_000;
    static final int W3_BATCH = 1_000;

    private final String client;
    private final String node;
    private final String table;
    private final int inFlight;
    private long sink;

    private RealWorkload(String client, String node, String table, int inFlight) {
        this.client = client;
        this.node = node;
        this.table = table;
        this.inFlight = inFlight;
    }

    public static void main(String[] args) throws Exception {
        RealWorkload run = new RealWorkload(args[0], args[3], args[4], Integer.parseInt(args[5]));
        String workload = args[1];
        if (workload.equals("CONN")) {
            run.connections();
            System.exit(0);
        }
        int warmups = Integer.parseInt(args[2]);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Pass pass = run.prepare(workload);
        for (int i = 0; i < warmups; i++) {
            pass.run();
        }
        Map<Long, Long> allocated = allocatedBytes();
        TimedPassProfile profile = TimedPassProfile.startIfAsked();
        long cpu = os.getProcessCpuTime();
        long start = System.nanoTime();
        long ops = pass.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (profile != null) {
            profile.stop(ops);
        }
        double cpuTimed = (os.getProcessCpuTime() - cpu) / 1e9;
        long allocatedTimed = 0;
        for (Map.Entry<Long, Long> thread : allocatedBytes().entrySet()) {
            allocatedTimed += thread.getValue() - allocated.getOrDefault(thread.getKey(), 0L);
        }
        pass.close();
        System.out.printf(Locale.ROOT, "%s ops=%d seconds=%.4f cpuTimed=%.4f cpuTotal=%.3f rssPeakMiB=%.1f "
                + "allocPerOp=%.0f sink=%d%n", RESULT, ops, seconds, cpuTimed, os.getProcessCpuTime() / 1e9,
            rssPeakMiB(), (double) allocatedTimed / ops, run.sink);
        System.exit(0);
    }

    /** One full-size pass of a workload; returns the rows or queries it did. */
    interface Pass extends AutoCloseable {
        long run() throws Exception;

        @Override
        default void close() {
        }
    }

    private Pass prepare(String workload) {
        switch (workload) {
            case "W1": return w1();
            case "W2": return w2();
            case "W3": return w3();
            default: throw new IllegalArgumentException(workload);
        }
    }

    private String w1Statement() {
        return "SELECT id, label, val FROM " + table;
    }

    private Pass w1() {
        String stmt = w1Statement();
        switch (client) {
            case "ours": {
                // Builds with Row.getLong/getDouble read numbers as their users would, without boxes; main boxes.
                CrateClient crate = CrateClient.create(node);
                java.util.function.Consumer<Row> reader = PRIMITIVE_ACCESSORS ? this::consumeUnboxed : this::consume;
                return closing(crate, () -> Check.count("W1 ours", W1_ROWS,
                    crate.sql(stmt).doOnNext(reader).count().block()));
            }
            case "ours-get": {
                CrateClient crate = CrateClient.create(node);
                return closing(crate, () -> Check.count("W1 ours-get", W1_ROWS,
                    crate.sql(stmt).doOnNext(this::consume).count().block()));
            }
            case "floor": {
                byte[] request = RawHttp.request(node, stmt);
                RawHttp http = new RawHttp(node);
                return new Pass() {
                    @Override
                    public long run() {
                        http.exchange(request);
                        Check.contains("W1 floor", http.tail(), "\"rowcount\":" + W1_ROWS);
                        return W1_ROWS;
                    }

                    @Override
                    public void close() {
                        http.close();
                    }
                };
            }
            default: {
                Baseline jdk = new Baseline(node);
                HttpRequest request = jdk.request(Baseline.statement(stmt));
                return () -> {
                    JsonNode rows = jdk.send(request).get("rows");
                    for (JsonNode row : rows) {
                        consume(row);
                    }
                    return Check.count("W1 jdk", W1_ROWS, rows.size());
                };
            }
        }
    }

    private Pass w2() {
        String stmt = "SELECT id, label, val FROM " + table + " WHERE id = ?";
        long[] ids = new SplittableRandom(14).longs(W2_QUERIES, 0, W1_ROWS).toArray();
        switch (client) {
            case "ours": {
                CrateClient crate = CrateClient.create(node);
                return closing(crate, () -> {
                    InFlight.run(W2_QUERIES, inFlight, 1, i -> crate.sql(stmt, ids[i]).doOnNext(this::consume)
                        .count().toFuture());
                    return W2_QUERIES;
                });
            }
            case "floor": {
                List<byte[]> requests = new ArrayList<>(W2_QUERIES);
                for (long id : ids) {
                    requests.add(RawHttp.request(node, Baseline.MAPPER.writeValueAsBytes(
                        body(stmt, "args", List.of(id)))));
                }
                return parallelSockets(requests, "\"rowcount\":1,");
            }
            default: {
                Baseline jdk = new Baseline(node);
                return () -> {
                    InFlight.run(W2_QUERIES, inFlight, 1, i -> jdk.sendAsync(jdk.request(Baseline.MAPPER
                        .writeValueAsBytes(body(stmt, "args", List.of(ids[i]))))).thenApply(tree -> {
                            JsonNode rows = tree.get("rows");
                            rows.forEach(this::consume);
                            return (long) rows.size();
                        }));
                    return W2_QUERIES;
                };
            }
        }
    }

    private Pass w3() {
        String stmt = w3Statement(table);
        List<List<List<Object>>> batches = w3Batches();
        int count = batches.size();
        switch (client) {
            case "ours":
            case "ours-plain": {
                // ours-plain: request bodies sent without gzip, as the floor and the JDK baseline send them
                CrateClient crate = client.equals("ours") ? CrateClient.create(node)
                    : CrateClient.builder().nodes(node).compressionThreshold(CrateClientBuilder.NO_COMPRESSION).build();
                return closing(crate, () -> {
                    InFlight.run(count, inFlight, W3_BATCH, i -> crate.bulk(stmt, batches.get(i))
                        .map(result -> result.results().stream().filter(r -> r.rowCount() == 1).count()).toFuture());
                    return W3_ROWS;
                });
            }
            case "floor": {
                List<byte[]> requests = new ArrayList<>(count);
                for (List<List<Object>> batch : batches) {
                    requests.add(RawHttp.request(node, Baseline.MAPPER.writeValueAsBytes(
                        body(stmt, "bulk_args", batch))));
                }
                Pass sockets = parallelSockets(requests, "\"rowcount\":1}]}");
                return () -> sockets.run() * W3_BATCH;
            }
            default: {
                Baseline jdk = new Baseline(node);
                return () -> {
                    InFlight.run(count, inFlight, W3_BATCH, i -> jdk.sendAsync(jdk.request(Baseline.MAPPER
                        .writeValueAsBytes(body(stmt, "bulk_args", batches.get(i))))).thenApply(tree -> {
                            long ok = 0;
                            for (JsonNode result : tree.get("results")) {
                                ok += result.get("rowcount").asLong() == 1 ? 1 : 0;
                            }
                            return ok;
                        }));
                    return W3_ROWS;
                };
            }
        }
    }

    /** @return W3's statement into {@code table} {@code (id BIGINT, label TEXT, val DOUBLE)} */
    static String w3Statement(String table) {
        return "INSERT INTO " + table + " (id, label, val) VALUES (?, ?, ?)";
    }

    /** @return W3's rows: {@value #W3_ROWS} {@code [id, 20-char label, val]} in batches of {@value #W3_BATCH} */
    static List<List<List<Object>>> w3Batches() {
        List<List<List<Object>>> batches = new ArrayList<>();
        for (int b = 0; b < W3_ROWS / W3_BATCH; b++) {
            List<List<Object>> batch = new ArrayList<>(W3_BATCH);
            for (int i = b * W3_BATCH; i < (b + 1) * W3_BATCH; i++) {
                batch.add(List.of((long) i, RealServerSuite.label(i), i * 0.5));
            }
            batches.add(batch);
        }
        return batches;
    }

    /** {@code inFlight} keep-alive sockets on one selector thread, each sending its next request when free. */
    private Pass parallelSockets(List<byte[]> requests, String expectedTail) {
        RawHttpLoop loop = new RawHttpLoop(node, inFlight);
        return new Pass() {
            @Override
            public long run() throws Exception {
                return loop.run(requests, expectedTail);
            }

            @Override
            public void close() {
                loop.close();
            }
        };
    }

    /** Connections opened by 1,000 one-row queries read with next(), with blockFirst(), and 1,000-row blockFirst(). */
    private void connections() {
        String one = "SELECT id, label, val FROM " + table + " WHERE id = ?";
        String many = "SELECT id, label, val FROM " + table + " LIMIT 1000";
        long next = count(crate -> crate.sql(one, 7L).next().block());
        long first = count(crate -> crate.sql(one, 7L).blockFirst());
        long big = count(crate -> crate.sql(many).blockFirst());
        System.out.printf(Locale.ROOT, "%s ops=1000 seconds=1 cpuTimed=0 cpuTotal=0 rssPeakMiB=0 next=%d "
            + "blockFirst=%d blockFirstOf1000=%d%n", RESULT, next, first, big);
    }

    private long count(java.util.function.Function<CrateClient, Row> query) {
        try (CountingProxy proxy = new CountingProxy(node); CrateClient crate = CrateClient.create(proxy.url())) {
            for (int i = 0; i < 1000; i++) {
                consume(query.apply(crate));
            }
            return proxy.accepted();
        }
    }

    private static Pass closing(CrateClient crate, Pass pass) {
        return new Pass() {
            @Override
            public long run() throws Exception {
                return pass.run();
            }

            @Override
            public void close() {
                crate.close();
            }
        };
    }

    /** Whether core has Row.getLong (not on main before issue 14's unboxed rows): resolved only when called. */
    private static final boolean PRIMITIVE_ACCESSORS = Arrays.stream(Row.class.getMethods())
        .anyMatch(m -> m.getName().equals("getLong"));

    private void consumeUnboxed(Row row) {
        sink += row.getLong(0) + ((String) row.get(1)).length() + Double.doubleToRawLongBits(row.getDouble(2));
    }

    private void consume(Row row) {
        sink += (Long) row.get(0) + ((String) row.get(1)).length() + Double.doubleToRawLongBits((Double) row.get(2));
    }

    private void consume(JsonNode row) {
        sink += row.get(0).asLong() + row.get(1).asString().length() + Double.doubleToRawLongBits(row.get(2).asDouble());
    }

    /** @return {@code {"stmt": .., name: value}} in that order (Map.of's order is not defined), for databind */
    static Map<String, Object> body(String stmt, String name, Object value) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("stmt", stmt);
        body.put(name, value);
        return body;
    }

    /** @return bytes allocated so far by each live thread (threads that end in between are not counted) */
    private static Map<Long, Long> allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> byThread = new java.util.HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                byThread.put(ids[i], bytes[i]);
            }
        }
        return byThread;
    }

    /** @return the process's peak resident set ({@code VmHWM}), or -1 without {@code /proc} */
    private static double rssPeakMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim()) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
