package dev.cratereactive.examples.etl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateClient;
import dev.cratereactive.examples.CrateResponses;
import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.RecordedRequest;
import dev.cratereactive.testing.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/**
 * The ETL against an in-process CrateDB that answers every bulk request like CrateDB 6.4.3 does
 * ({@code bulk-success} / {@code bulk-partial-failure}), after a delay, so that requests overlap.
 */
class StreamingEtlTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SERVER_DELAY = Duration.ofMillis(400);
    private static final String INSERT = "INSERT INTO readings (id, sensor, celsius, taken_at) VALUES (?, ?, ?, ?)";

    @TempDir
    Path dir;

    private final CrateTestServer crate = CrateTestServer.start();
    private final CrateClient client = CrateClient.create(crate.url());
    /** When each bulk request reached the server (System.nanoTime), in arrival order. */
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        client.close();
        crate.close();
    }

    @Test
    void sendsBatchesOfTheConfiguredSizeAndReportsEveryRejectedRow() throws IOException {
        Set<Long> existingIds = Set.of(5L, 9L);
        answerBulkRequests(existingIds, SERVER_DELAY);
        List<String> lines = new ArrayList<>(List.of("id,sensor,celsius,taken_at"));
        IntStream.rangeClosed(1, 10).forEach(i -> lines.add(csv(i)));
        lines.add(7, "7,kitchen,not-a-number,2024-02-29T12:00:00Z"); // line 8: does not parse, never sent
        Path file = Files.write(dir.resolve("readings.csv"), lines);
        List<StreamingEtl.Progress> progress = new CopyOnWriteArrayList<>();

        Path rejects = dir.resolve("rejects.csv");

        StepVerifier.create(new StreamingEtl(client, "readings", 3, 2).load(file, rejects, progress::add))
            .assertNext(report -> {
                assertThat(report.linesRead()).isEqualTo(11);
                assertThat(report.rowsInserted()).isEqualTo(8);
                assertThat(report.rowsFailed()).isEqualTo(3);
                assertThat(report.rowsRetried()).isZero();
                assertThat(report.firstFailures()).extracting(StreamingEtl.FailedRow::lineNumber)
                    .containsExactly(6L, 8L, 11L);
                StreamingEtl.FailedRow duplicate = report.firstFailures().get(0);
                assertThat(duplicate.line()).isEqualTo(csv(5));
                assertThat(duplicate.errorCode()).isEqualTo(4091);
                assertThat(duplicate.message()).isEqualTo("DuplicateKeyException[A document with the same primary key exists already]");
                StreamingEtl.FailedRow unparseable = report.firstFailures().get(1);
                assertThat(unparseable.errorCode()).isZero();
                assertThat(unparseable.message()).startsWith("cannot parse:");
                assertThat(report.firstFailures().get(2).line()).startsWith("9,");
            })
            .expectComplete()
            .verify(TIMEOUT);
        assertThat(Files.readAllLines(rejects)).hasSize(4).first().isEqualTo("line,error_code,error,original");
        assertThat(Files.readAllLines(rejects).subList(1, 4)).containsExactlyInAnyOrder(
            "6,4091,\"DuplicateKeyException[A document with the same primary key exists already]\",\"" + csv(5) + "\"",
            "11,4091,\"DuplicateKeyException[A document with the same primary key exists already]\",\"" + csv(9) + "\"",
            "8,0,\"cannot parse: For input string: \"\"not-a-number\"\"\",\"7,kitchen,not-a-number,2024-02-29T12:00:00Z\"");

        List<RecordedRequest> requests = crate.requests();
        assertThat(requests).extracting(RecordedRequest::statement).containsOnly(INSERT);
        // Batches of 3, unless the file is read so slowly that a partial batch waited out the writer's linger.
        assertThat(requests).extracting(request -> request.json().path("bulk_args").size())
            .as("10 valid rows in batches of at most 3").allMatch(size -> size <= 3)
            .satisfies(sizes -> assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10));
        assertThat(requests.stream().flatMap(request -> ids(request).stream()).sorted().toList())
            .as("every valid row sent exactly once").containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(progress).as("one report per row sent").hasSize(10);
        StreamingEtl.Progress last = progress.get(progress.size() - 1);
        assertThat(last.rowsInserted() + last.rowsFailed()).isEqualTo(11);
    }

    @Test
    void neverHasMoreBulkRequestsInFlightThanItsConcurrency() throws IOException {
        answerBulkRequests(Set.of(), SERVER_DELAY);
        Path file = Files.write(dir.resolve("readings.csv"), sample(60));

        StepVerifier.create(new StreamingEtl(client, "readings", 5, 3).load(file, dir.resolve("rejects.csv"), progress -> { }))
            .assertNext(report -> assertThat(report.rowsInserted()).isEqualTo(60))
            .expectComplete()
            .verify(TIMEOUT);

        // Request k+3 can only leave once one of the three before it was answered, which the server does
        // SERVER_DELAY after receiving it: so the (k+3)th arrival is at least SERVER_DELAY after the kth.
        assertThat(arrivals).as("60 rows in batches of 5 (more if a partial batch waited out the linger)")
            .hasSizeGreaterThanOrEqualTo(12);
        for (int k = 0; k + 3 < arrivals.size(); k++) {
            assertThat(Duration.ofNanos(arrivals.get(k + 3) - arrivals.get(k)))
                .as("gap between arrivals %d and %d", k, k + 3).isGreaterThanOrEqualTo(SERVER_DELAY);
        }
        assertThat(Duration.ofNanos(arrivals.get(2) - arrivals.get(0)))
            .as("the first three requests go out together").isLessThan(SERVER_DELAY);
    }

    @Test
    void readsTheFileOnlyAsFastAsCrateDbTakesTheRows() throws IOException {
        answerBulkRequests(Set.of(), Duration.ofMillis(50));
        Path file = Files.write(dir.resolve("big.csv"), sample(5_000));
        List<StreamingEtl.Progress> progress = new CopyOnWriteArrayList<>();

        StepVerifier.create(new StreamingEtl(client, "readings", 100, 2).load(file, dir.resolve("rejects.csv"), progress::add)
                .map(StreamingEtl.Report::rowsInserted))
            .expectNext(5_000L)
            .expectComplete()
            .verify(TIMEOUT);

        assertThat(progress.get(0).linesRead())
            .as("lines read when the first batch was answered: the writer's bound (2 x 100 + 100), not the whole file")
            .isLessThanOrEqualTo(2 * 100 + 100);
    }

    @Test
    void throttledProgressPassesAtMostOneReportPerInterval() {
        List<StreamingEtl.Progress> passed = new ArrayList<>();
        var throttled = StreamingEtl.throttled(Duration.ofHours(1), passed::add);
        for (int i = 0; i < 100; i++) {
            throttled.accept(new StreamingEtl.Progress(i, i, 0, 0, Duration.ofMillis(i)));
        }
        assertThat(passed).isEmpty();
        List<StreamingEtl.Progress> all = new ArrayList<>();
        var immediate = StreamingEtl.throttled(Duration.ZERO, all::add);
        immediate.accept(new StreamingEtl.Progress(1, 1, 0, 0, Duration.ofSeconds(1)));
        assertThat(all).singleElement().extracting(StreamingEtl.Progress::rowsPerSecond).isEqualTo(1.0);
    }

    @Test
    void rowsOnAShardBeingRelocatedAreResentAndCountedAsRetried() throws IOException {
        Set<Long> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
        crate.respond(request -> Reply.json(200, "{\"cols\":[],\"duration\":1.0,\"results\":[" + ids(request).stream()
            .map(id -> id % 4 == 0 && failedOnce.add(id)
                ? "{\"rowcount\":-2,\"error\":{\"code\":5002,\"message\":\"UnavailableShardsException[shard relocating]\"}}"
                : "{\"rowcount\":1}")
            .collect(Collectors.joining(",")) + "]}"));
        Path file = Files.write(dir.resolve("readings.csv"), sample(20));
        List<StreamingEtl.Progress> progress = new CopyOnWriteArrayList<>();

        StepVerifier.create(new StreamingEtl(client, "readings", 10, 2).load(file, dir.resolve("rejects.csv"), progress::add))
            .assertNext(report -> {
                assertThat(report.rowsInserted()).isEqualTo(20);
                assertThat(report.rowsFailed()).isZero();
                assertThat(report.rowsRetried()).isEqualTo(5);
            })
            .expectComplete()
            .verify(TIMEOUT);
        assertThat(StreamingEtl.progressLine(progress.get(progress.size() - 1)))
            .contains("20 read").contains("20 written").contains("0 failed").contains("5 retried").contains("rows/s");
        assertThat(Files.readAllLines(dir.resolve("rejects.csv"))).containsExactly("line,error_code,error,original");
    }

    /** Answers each bulk request after {@code delay}: rows whose id is in {@code existing} fail with 4091. */
    private void answerBulkRequests(Set<Long> existing, Duration delay) {
        crate.respond(request -> {
            arrivals.add(System.nanoTime());
            if (!INSERT.equals(request.statement())) {
                return Reply.json(400, "{\"error\":{\"message\":\"SQLParseException[unexpected]\",\"code\":4000}}");
            }
            List<Boolean> failed = ids(request).stream().map(existing::contains).collect(Collectors.toList());
            return Reply.delayed(delay, CrateResponses.bulk(failed));
        });
    }

    private static List<Long> ids(RecordedRequest request) {
        return StreamSupport.stream(request.json().path("bulk_args").spliterator(), false)
            .map(args -> args.get(0))
            .map(JsonNode::asLong)
            .toList();
    }

    private static List<String> sample(int rows) {
        List<String> lines = new ArrayList<>(Collections.singletonList("id,sensor,celsius,taken_at"));
        IntStream.rangeClosed(1, rows).forEach(i -> lines.add(csv(i)));
        return lines;
    }

    private static String csv(int id) {
        return id + ",sensor-" + (id % 3) + "," + (10 + id % 20) + ".5,2024-02-29T12:00:00Z";
    }
}
