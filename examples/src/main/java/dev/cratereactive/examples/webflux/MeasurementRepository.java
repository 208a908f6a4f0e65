package dev.cratereactive.examples.webflux;

import dev.cratereactive.BulkResult;
import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple2;

/** Measurements in CrateDB, without blocking: every method returns a cold publisher. */
public class MeasurementRepository {

    private final CrateClient client;
    private final String table;
    private final int batchSize;

    /**
     * @param client the shared client
     * @param table the table name (trusted configuration, not user input)
     * @param batchSize rows per bulk request
     */
    public MeasurementRepository(CrateClient client, String table, int batchSize) {
        this.client = client;
        this.table = table;
        this.batchSize = batchSize;
    }

    /** @return completes when the table exists */
    public Mono<Void> createTable() {
        return client.execute("CREATE TABLE IF NOT EXISTS " + table + " (id BIGINT PRIMARY KEY, sensor TEXT,"
            + " celsius DOUBLE PRECISION, taken_at TIMESTAMP WITH TIME ZONE) WITH (number_of_replicas = 0)").then();
    }

    /**
     * @param limit how many
     * @return the latest measurements, newest first, each as soon as CrateDB's response delivers it
     */
    public Flux<Measurement> latest(int limit) {
        return client.sql("SELECT id, sensor, celsius, taken_at FROM " + table + " ORDER BY taken_at DESC, id DESC LIMIT ?",
                limit)
            .map(Measurement::of);
    }

    /**
     * Inserts in bulk requests of {@code batchSize} rows, one request at a time, and collects what CrateDB rejected.
     *
     * @param measurements the rows, possibly still arriving
     * @return how many were received and inserted, and the rejected rows
     */
    public Mono<InsertReport> insert(Flux<Measurement> measurements) {
        String insert = "INSERT INTO " + table + " (id, sensor, celsius, taken_at) VALUES (?, ?, ?, ?)";
        return measurements
            .index()
            .buffer(batchSize)
            .concatMap(batch -> client.bulk(insert, batch.stream().map(indexed -> indexed.getT2().toParameters()).toList())
                .map(result -> failures(batch, result)))
            .reduce(new Totals(), Totals::add)
            .map(totals -> new InsertReport(totals.received, totals.received - totals.failed.size(),
                totals.failed.stream().sorted(Comparator.comparingLong(InsertReport.FailedRow::index)).toList()))
            .defaultIfEmpty(new InsertReport(0, 0, List.of()));
    }

    private static Batch failures(List<Tuple2<Long, Measurement>> batch, BulkResult result) {
        List<InsertReport.FailedRow> failed = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            BulkResult.RowResult row = result.results().get(i);
            if (row.failed()) {
                CrateError error = row.error().orElse(new CrateError(0, "failed without a reason"));
                failed.add(new InsertReport.FailedRow(batch.get(i).getT1(), batch.get(i).getT2().id(), error.code(),
                    error.message()));
            }
        }
        return new Batch(batch.size(), failed);
    }

    private record Batch(int size, List<InsertReport.FailedRow> failed) {
    }

    private static final class Totals {
        private long received;
        private final List<InsertReport.FailedRow> failed = new ArrayList<>();

        Totals add(Batch batch) {
            received += batch.size();
            failed.addAll(batch.failed());
            return this;
        }
    }
}
