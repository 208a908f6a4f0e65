package dev.cratereactive.bench;

import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateClientBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;

/**
 * Bulk insert rows per second: {@value #ROWS} rows ({@code [BIGINT, TEXT(20), DOUBLE]}) in batches of
 * {@value BenchServer#BULK_BATCH}, {@code inFlight} batches outstanding; one operation = one row. The server
 * answers every batch with CrateDB's success response for 1,000 rows, which both clients read and check.
 *
 * <ul>
 *   <li>{@code ours}: {@code client.bulk(..)} with default settings: bodies over 8 KiB (all of these, 34.7 KB)
 *       are gzipped;</li>
 *   <li>{@code oursNoGzip}: the same with {@code compressionThreshold(NO_COMPRESSION)}, as the baseline sends;</li>
 *   <li>{@code jdk}: {@code {"stmt", "bulk_args"}} written by databind, posted with the JDK client, the
 *       response read into a tree.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BulkBenchmark {

    /** Rows per operation. */
    public static final int ROWS = 200_000;

    @Param({"1", "4"})
    public int inFlight;

    private Target target;
    private CrateClient client;
    private CrateClient clientNoGzip;
    private Baseline jdk;
    private List<List<List<Object>>> batches;

    @Setup(Level.Trial)
    public void setUp() {
        target = Target.of("bulk");
        client = CrateClient.builder().nodes(target.url()).build();
        clientNoGzip = CrateClient.builder().nodes(target.url())
            .compressionThreshold(CrateClientBuilder.NO_COMPRESSION).build();
        jdk = new Baseline(target.url());
        List<List<Object>> rows = BenchData.bulkRows(ROWS);
        batches = new ArrayList<>();
        for (int i = 0; i < ROWS; i += BenchServer.BULK_BATCH) {
            batches.add(rows.subList(i, Math.min(ROWS, i + BenchServer.BULK_BATCH)));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
        clientNoGzip.close();
        jdk.close();
        target.close();
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void ours() {
        run(client);
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void oursNoGzip() {
        run(clientNoGzip);
    }

    private void run(CrateClient crate) {
        InFlight.run(batches.size(), inFlight, BenchServer.BULK_BATCH, i -> crate.bulk(BenchData.BULK_STATEMENT,
                batches.get(i))
            .map(result -> (long) result.results().stream().filter(r -> r.rowCount() == 1).count())
            .toFuture());
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void jdk() {
        InFlight.run(batches.size(), inFlight, BenchServer.BULK_BATCH, i -> {
            byte[] body = Baseline.MAPPER.writeValueAsBytes(Map.of("stmt", BenchData.BULK_STATEMENT,
                "bulk_args", batches.get(i)));
            return jdk.sendAsync(jdk.request(body)).thenApply(tree -> {
                long ok = 0;
                for (JsonNode result : tree.get("results")) {
                    if (result.get("rowcount").asLong() == 1) {
                        ok++;
                    }
                }
                return ok;
            });
        });
    }
}
