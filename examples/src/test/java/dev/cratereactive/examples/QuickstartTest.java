package dev.cratereactive.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.RecordedRequest;
import dev.cratereactive.testing.Reply;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuickstartTest {

    /** Answers the Quickstart's statements as CrateDB 6.4.3 does; anything else is a 4000 error. */
    static Reply answerQuickstart(RecordedRequest request) {
        return switch (request.statement()) {
            case Quickstart.CREATE, Quickstart.REFRESH, Quickstart.DROP -> CrateResponses.ddl();
            case Quickstart.INSERT -> CrateResponses.bulk(Collections.nCopies(request.json().path("bulk_args").size(), false));
            case Quickstart.PER_SENSOR -> CrateResponses.rows(List.of("sensor", "readings", "avg_celsius", "max_celsius"),
                List.of(4, 10, 6, 6), "[\"attic\",250,18.25,31.0]", "[\"cellar\",250,17.5,30.75]");
            case Quickstart.WARMEST -> CrateResponses.rows(List.of("id", "sensor", "celsius", "taken_at"),
                List.of(9, 4, 6, 11), "[58,\"kitchen\",31.98,1709168280000]", "[57,\"cellar\",31.95,1709168220000]",
                "[59,\"garden\",31.94,1709168340000]");
            default -> Reply.json(400, "{\"error\":{\"message\":\"unexpected statement\",\"code\":4000}}");
        };
    }

    @Test
    void createsBulkInsertsStreamsAndDropsTheTable() {
        try (CrateTestServer server = CrateTestServer.start()) {
            server.respond(QuickstartTest::answerQuickstart);
            CapturedOutput output = new CapturedOutput();

            Quickstart.run(List.of(server.url()), output.out);

            assertThat(server.requests()).extracting(RecordedRequest::statement).containsExactly(Quickstart.CREATE,
                Quickstart.INSERT, Quickstart.REFRESH, Quickstart.PER_SENSOR, Quickstart.WARMEST, Quickstart.DROP);
            RecordedRequest bulk = server.requests().get(1);
            assertThat(bulk.json().path("bulk_args").size()).isEqualTo(Quickstart.ROWS);
            assertThat(bulk.json().path("bulk_args").get(0).toString())
                .isEqualTo("[0,\"cellar\",17.5,1709164800000]");
            assertThat(server.requests().get(4).json().path("args").toString()).isEqualTo("[3]");
            assertThat(output.out()).contains(
                "Created table quickstart_readings",
                "Inserted 1000 rows in one bulk request (0 failed, server took 10 ms)",
                "  attic     250 readings, avg 18.25 °C, max 31.00 °C",
                "  cellar    250 readings, avg 17.50 °C, max 30.75 °C",
                "  #58   kitchen  31.98 °C at 2024-02-29T00:58:00Z",
                "Dropped table quickstart_readings");
        }
    }

    @Test
    void dropsTheTableEvenWhenAQueryFails() {
        try (CrateTestServer server = CrateTestServer.start()) {
            server.respond(request -> switch (request.statement()) {
                case Quickstart.CREATE, Quickstart.REFRESH, Quickstart.DROP -> CrateResponses.ddl();
                case Quickstart.INSERT -> CrateResponses.bulk(Collections.nCopies(request.json().path("bulk_args").size(), false));
                default -> CrateResponses.transcript("error-unknown-column");
            });
            CapturedOutput output = new CapturedOutput();

            assertThatThrownBy(() -> Quickstart.run(List.of(server.url()), output.out))
                .hasMessageContaining("ColumnUnknownException");

            assertThat(server.requests()).extracting(RecordedRequest::statement).last().isEqualTo(Quickstart.DROP);
        }
    }
}
