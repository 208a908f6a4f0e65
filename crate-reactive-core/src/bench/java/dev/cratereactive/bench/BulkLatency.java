package dev.cratereactive.bench;

import dev.cratereactive.BulkResult;
import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateClientBuilder;
import dev.cratereactive.internal.codec.RequestEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where the time of one W3 batch goes, with one batch in flight: in one JVM, alternating per batch, the round trip
 * of {@code bulk()} with gzip and without, the server's reported {@code duration} of each, the raw-HTTP floor's
 * round trip, and the client's encoding alone. Medians per round of 200 batches of 1,000 rows; the last round is
 * the warm one. W3's rows ({@link RealWorkload#w3Batches()}); creates and drops its own table.
 *
 * <p>{@code java -cp <bench class path> dev.cratereactive.bench.BulkLatency [node url] [rounds]}
 */
public final class BulkLatency {

    private BulkLatency() {
    }

    public static void main(String[] args) {
        String node = args.length > 0 ? args[0] : "http://127.0.0.1:4200";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String table = "crate_reactive_bench.bulk_latency_" + Long.toHexString(System.nanoTime());
        String stmt = RealWorkload.w3Statement(table);
        List<List<List<Object>>> batches = RealWorkload.w3Batches();
        List<byte[]> requests = new ArrayList<>();
        for (List<List<Object>> batch : batches) {
            requests.add(RawHttp.request(node, Baseline.MAPPER.writeValueAsBytes(
                RealWorkload.body(stmt, "bulk_args", batch))));
        }
        try (CrateClient gzip = CrateClient.create(node);
             CrateClient plain = CrateClient.builder().nodes(node)
                 .compressionThreshold(CrateClientBuilder.NO_COMPRESSION).build();
             RawHttp floor = new RawHttp(node)) {
            gzip.execute("CREATE TABLE " + table + " (id BIGINT, label TEXT, val DOUBLE) CLUSTERED INTO 4 SHARDS"
                + " WITH (number_of_replicas = 0)").block();
            try {
                for (int round = 0; round < rounds; round++) {
                    double[][] ms = new double[7][batches.size()];
                    for (int b = 0; b < batches.size(); b++) {
                        List<List<Object>> batch = batches.get(b);
                        long t = System.nanoTime();
                        RequestEncoder.bulk(stmt, batch, CrateClientBuilder.DEFAULT_COMPRESSION_THRESHOLD);
                        ms[0][b] = millisSince(t);
                        t = System.nanoTime();
                        RequestEncoder.bulk(stmt, batch, CrateClientBuilder.NO_COMPRESSION);
                        ms[1][b] = millisSince(t);
                        t = System.nanoTime();
                        BulkResult result = gzip.bulk(stmt, batch).block();
                        ms[2][b] = millisSince(t);
                        ms[3][b] = result.duration().toNanos() / 1e6;
                        t = System.nanoTime();
                        result = plain.bulk(stmt, batch).block();
                        ms[4][b] = millisSince(t);
                        ms[5][b] = result.duration().toNanos() / 1e6;
                        t = System.nanoTime();
                        floor.exchange(requests.get(b));
                        ms[6][b] = millisSince(t);
                    }
                    System.out.printf(Locale.ROOT, "round %d, medians in ms per batch: encode gzip %.2f, plain %.2f |"
                            + " round trip gzip %.2f (server %.2f), plain %.2f (server %.2f) | floor %.2f%n", round,
                        median(ms[0]), median(ms[1]), median(ms[2]), median(ms[3]), median(ms[4]), median(ms[5]),
                        median(ms[6]));
                }
            } finally {
                gzip.execute("DROP TABLE IF EXISTS " + table).block();
            }
        }
    }

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
