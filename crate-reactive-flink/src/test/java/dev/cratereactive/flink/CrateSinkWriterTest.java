package dev.cratereactive.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cratereactive.BulkOutcome;
import dev.cratereactive.testing.Await;
import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.RecordedRequest;
import dev.cratereactive.testing.Reply;
import dev.cratereactive.testing.Responder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The sink writer against the in-process server: acknowledgement on flush, backpressure, failures, metrics, close. */
class CrateSinkWriterTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String INSERT = "INSERT INTO readings (id, v) VALUES (?, ?)";
    private static final String DUPLICATE = "{\"rowcount\":-2,\"error\":{\"code\":4091,\"message\":"
        + "\"DuplicateKeyException[A document with the same primary key exists already]\"}}";

    record Reading(long id, String v) {
    }

    private CrateTestServer server;
    private final TestContexts.Context context = new TestContexts.Context();
    private SinkWriter<Reading> writer;

    @BeforeEach
    void start() {
        server = CrateTestServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (writer != null) {
            writer.close();
        }
        server.close();
    }

    /** Answers every bulk request row by row, {@code 4091} for the ids in {@code rejected}. */
    private static Responder bulk(List<Long> rejected) {
        return request -> Reply.json(200, "{\"cols\":[],\"duration\":1.5,\"results\":["
            + ids(request).stream().map(id -> rejected.contains(id) ? DUPLICATE : "{\"rowcount\":1}")
                .collect(Collectors.joining(",")) + "]}");
    }

    private static List<Long> ids(RecordedRequest request) {
        return StreamSupport.stream(request.json().path("bulk_args").spliterator(), false)
            .map(args -> args.get(0)).map(JsonNode::asLong).toList();
    }

    private CrateSink.Builder<Reading> sink() {
        return CrateSink.<Reading>builder()
            .nodes(server.url())
            .statement(INSERT)
            .rowMapper(r -> List.of(r.id(), r.v()))
            .maxRows(100)
            .linger(Duration.ofMillis(5));
    }

    private SinkWriter<Reading> open(CrateSink<Reading> sink) throws Exception {
        writer = sink.createWriter(context);
        return writer;
    }

    private void write(long from, long to) throws Exception {
        for (long id = from; id <= to; id++) {
            writer.write(new Reading(id, "v" + id), null);
        }
    }

    @Test
    void flushReturnsOnlyWhenEveryAcceptedRowIsAcknowledged() throws Exception {
        Responder rows = bulk(List.of());
        server.respond(request -> Reply.delayed(Duration.ofMillis(50), rows.reply(request)));
        open(sink().build());
        write(1, 2_500);
        writer.flush(false);
        // No waiting here: flush itself must have waited for all 2,500 acknowledgements.
        assertThat(context.group.count(CrateSinkWriter.ROWS_ACKNOWLEDGED)).isEqualTo(2_500);
        assertThat(context.io.recordsOut.getCount()).as("numRecordsSend / numRecordsOut").isEqualTo(2_500);
        assertThat(context.group.count("numRecordsSendErrors")).isZero();
        assertThat(server.requests().stream().flatMap(r -> ids(r).stream()).sorted().toList())
            .hasSize(2_500).doesNotHaveDuplicates().startsWith(1L, 2L).endsWith(2_500L);
        assertThat((Long) context.group.gauges.get("currentSendTime").getValue()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void writeBlocksTheTaskThreadWhileTheBoundIsReached() throws Exception {
        server.respond(Reply.stall());
        open(sink().maxRows(10).maxInFlight(1).build());
        AtomicInteger accepted = new AtomicInteger();
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread task = new Thread(() -> {
            try {
                for (long id = 1; id <= 1_000; id++) {
                    writer.write(new Reading(id, "v"), null);
                    accepted.incrementAndGet();
                }
            } catch (Throwable e) {
                ended.set(e);
            }
        });
        task.start();
        // (maxInFlight + 2) x maxRows = 30 rows are accepted without an answer, then write blocks.
        Await.until("the task thread blocks in write", WAIT,
            () -> task.getState() == Thread.State.WAITING && accepted.get() == 30);
        Await.until("one request in flight", WAIT, () -> server.inFlight() == 1);
        task.interrupt();
        task.join(WAIT.toMillis());
        assertThat(ended.get()).isInstanceOf(InterruptedException.class);
        assertThat(accepted).hasValue(30);
    }

    @Test
    void aRejectedRowFailsTheJobByDefault() throws Exception {
        server.respond(bulk(List.of(7L)));
        open(sink().build());
        write(1, 10);
        assertThatThrownBy(() -> writer.flush(false))
            .isInstanceOf(CrateSinkException.class)
            .hasMessageContaining("4091")
            .hasMessageContaining("onRowFailure")
            .satisfies(e -> assertThat(((CrateSinkException) e).error()).hasValueSatisfying(
                error -> assertThat(error.code()).isEqualTo(4091)));
        assertThat(context.group.count(CrateSinkWriter.ROWS_FAILED)).isEqualTo(1);
        assertThat(context.group.count("numRecordsSendErrors")).isEqualTo(1);
        assertThatThrownBy(() -> writer.write(new Reading(11, "v"), null)).isInstanceOf(CrateSinkException.class);
    }

    /** Collects failed rows; static because the handler is serializable and keeps no test state of its own. */
    static final List<BulkOutcome<Reading>> FAILED = new CopyOnWriteArrayList<>();

    @Test
    void rejectedRowsGoToTheHandlerBeforeFlushReturns() throws Exception {
        FAILED.clear();
        server.respond(bulk(List.of(3L, 250L)));
        open(sink().onRowFailure(FAILED::add).build());
        write(1, 300);
        writer.flush(false);
        assertThat(FAILED).extracting(outcome -> outcome.item().id()).containsExactlyInAnyOrder(3L, 250L);
        assertThat(FAILED).allSatisfy(outcome -> {
            assertThat(outcome.error()).hasValueSatisfying(error -> assertThat(error.code()).isEqualTo(4091));
            assertThat(outcome.outcomeUnknown()).isFalse();
        });
        assertThat(context.group.count(CrateSinkWriter.ROWS_ACKNOWLEDGED)).isEqualTo(298);
        assertThat(context.group.count(CrateSinkWriter.ROWS_FAILED)).isEqualTo(2);
    }

    @Test
    void aHandlerThatThrowsFailsTheJob() throws Exception {
        server.respond(bulk(List.of(2L)));
        open(sink().onRowFailure(outcome -> {
            throw new IllegalStateException("no dead-letter queue");
        }).build());
        write(1, 5);
        assertThatThrownBy(() -> writer.flush(false))
            .isInstanceOf(CrateSinkException.class)
            .hasMessageContaining("no dead-letter queue");
    }

    @Test
    void aStatementErrorFailsTheJob() throws Exception {
        server.respond(Reply.json(400, "{\"error\":{\"message\":\"SQLParseException[line 1:1: mismatched input]\","
            + "\"code\":4000}}"));
        open(sink().build());
        write(1, 5);
        assertThatThrownBy(() -> writer.flush(true))
            .isInstanceOf(CrateSinkException.class)
            .hasMessageContaining("SQLParseException");
    }

    @Test
    void closeClosesTheClientsConnections() throws Exception {
        server.respond(bulk(List.of()));
        open(sink().maxInFlight(3).build());
        write(1, 1_000);
        writer.flush(true);
        assertThat(server.connectionsOpened()).isPositive();
        writer.close();
        writer = null;
        Await.until("every connection closed", WAIT, () -> server.openConnections() == 0);
    }

    @Test
    void closeWhileRequestsAreInFlightLeavesNoConnection() throws Exception {
        server.respond(Reply.stall());
        open(sink().maxRows(10).build());
        write(1, 25);
        Await.until("requests in flight", WAIT, () -> server.inFlight() == 2);
        writer.close();
        writer = null;
        Await.until("every connection closed", WAIT, () -> server.openConnections() == 0);
    }

    @Test
    void closeOnAnInterruptedTaskThreadStillClosesTheConnectionsAndKeepsTheInterrupt() throws Exception {
        server.respond(Reply.stall());
        open(sink().maxRows(10).build());
        write(1, 25);
        Await.until("requests in flight", WAIT, () -> server.inFlight() == 2);
        Thread.currentThread().interrupt();   // as Flink does when it cancels a task
        try {
            writer.close();
        } finally {
            writer = null;
            assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
        }
        Await.until("every connection closed", WAIT, () -> server.openConnections() == 0);
    }

    @Test
    void theSinkSurvivesJavaSerializationAsFlinkShipsIt() throws Exception {
        server.respond(bulk(List.of()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(sink().upsert("readings", List.of("id", "v"), List.of("id")).build());
        }
        @SuppressWarnings("unchecked")
        CrateSink<Reading> copy = (CrateSink<Reading>) new ObjectInputStream(
            new ByteArrayInputStream(bytes.toByteArray())).readObject();
        assertThat(copy.statement()).startsWith("INSERT INTO \"readings\"").contains("ON CONFLICT (\"id\")");
        open(copy);
        write(1, 10);
        writer.flush(true);
        assertThat(context.group.count(CrateSinkWriter.ROWS_ACKNOWLEDGED)).isEqualTo(10);
    }

    @Test
    void theBuilderNamesMissingAndBadOptions() {
        assertThatThrownBy(() -> CrateSink.<Reading>builder().statement(INSERT).rowMapper(r -> List.of()).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientFactory");
        assertThatThrownBy(() -> CrateSink.<Reading>builder().nodes("http://x:4200").rowMapper(r -> List.of()).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("statement");
        assertThatThrownBy(() -> CrateSink.<Reading>builder().nodes("http://x:4200").statement(INSERT).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rowMapper");
        assertThatThrownBy(() -> sink().maxRows(0).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessage("maxRows must be positive, was 0");
        assertThatThrownBy(() -> sink().maxInFlight(-1).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessage("maxInFlight must be positive, was -1");
        assertThatThrownBy(() -> sink().linger(Duration.ofMillis(-1)).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linger");
        assertThatThrownBy(() -> sink().maxBytes(200L * 1024 * 1024).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBytes");
        assertThatThrownBy(() -> sink().itemRetries(-1).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("itemRetries");
    }
}
