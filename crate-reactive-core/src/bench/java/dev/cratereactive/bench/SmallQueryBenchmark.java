package dev.cratereactive.bench;

import dev.cratereactive.CrateClient;
import java.net.http.HttpRequest;
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
import org.openjdk.jmh.infra.Blackhole;
import tools.jackson.databind.JsonNode;

/**
 * Small queries per second ({@code SELECT 1 AS one, 'a' AS two}, the recorded 90-byte answer), with
 * {@code inFlight} queries outstanding at all times (a closed loop, {@link InFlight}); one operation = one query,
 * so {@code gc.alloc.rate.norm} is bytes per query and {@code cpu.norm} (see {@link ProcessCpuProfiler}) CPU time
 * per query. Both clients keep connections alive (ours: pool of 64; the JDK client: unbounded).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
// Five warm-ups: with three, the first measured iteration at 64 in flight still ran at half speed (run 4).
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class SmallQueryBenchmark {

    /** Queries per benchmark invocation. */
    public static final int QUERIES = 1024;

    @Param({"1", "64"})
    public int inFlight;

    private Target target;
    private CrateClient client;
    private Baseline jdk;
    private HttpRequest jdkRequest;

    @Setup(Level.Trial)
    public void setUp() {
        target = Target.of("small");
        client = CrateClient.builder().nodes(target.url()).maxConnections(64).build();
        jdk = new Baseline(target.url());
        jdkRequest = jdk.request(Baseline.statement(BenchData.SMALL_STATEMENT));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
        jdk.close();
        target.close();
    }

    @Benchmark
    @OperationsPerInvocation(QUERIES)
    public void ours(Blackhole bh) {
        InFlight.run(QUERIES, inFlight, 1, i -> client.sql(BenchData.SMALL_STATEMENT)
            .doOnNext(row -> {
                bh.consume(row.get(0));
                bh.consume(row.get(1));
            })
            .count()
            .toFuture());
    }

    @Benchmark
    @OperationsPerInvocation(QUERIES)
    public void jdk(Blackhole bh) {
        InFlight.run(QUERIES, inFlight, 1, i -> jdk.sendAsync(jdkRequest).thenApply(tree -> {
            JsonNode rows = tree.get("rows");
            for (int r = 0; r < rows.size(); r++) {
                bh.consume(rows.get(r).get(0).asInt());
                bh.consume(rows.get(r).get(1).asString());
            }
            return (long) rows.size();
        }));
    }
}
