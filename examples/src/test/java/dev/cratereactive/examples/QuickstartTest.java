package dev.cratereactive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.RecordedRequest;
import dev.cratereactive.testing.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuickstartTest {

    @Test
    void createsBulkInsertsStreamsAndDropsTheTable() {
        try (CrateTestServer server = CrateTestServer.start()) {
            server.respond(request -> switch (request.statement()) {
                case Quickstart.CREATE, Quickstart.REFRESH, Quickstart.DROP -> CrateResponses.ddl();
                case Quickstart.INSERT -> CrateResponses.bulk(Collections.nCopies(request.json().path("bulk_args").size(), false));
                case Quickstart.PER_SENSOR -> CrateResponses.rows(List.of("sensor", "readings", "avg_celsius", "max_celsius"),
                    List.of(4, 10, 6, 6), "[\"attic\",250,18.25,31.0]", "[\"cellar\",250,17.5,30.75]");
                case Quickstart.WARMEST -> CrateResponses.rows(List.of("id", "sensor", "celsius", "taken_at"),
                    List.of(9, 4, 6, 11), "[58,\"kitchen\",31.98,1709168280000]", "[57,\"cellar\",31.95,1709168220000]",
                    "[59,\"garden\",31.94,1709168340000]");
                default -> Reply.json(400, "{\"error\":{\"message\":\"unexpected statement\",\"code\":4000}}");
            });
            Output output = new Output();

            int status = Quickstart.run(List.of(server.url()), output.out, output.err);

            assertThat(status).isZero();
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
            assertThat(output.err()).isEmpty();
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
            Output output = new Output();

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Quickstart.run(List.of(server.url()), output.out, output.err))
                .hasMessageContaining("ColumnUnknownException");

            assertThat(server.requests()).extracting(RecordedRequest::statement).last().isEqualTo(Quickstart.DROP);
        }
    }

    @Test
    void saysHowToStartCrateDbWhenNoneAnswers() {
        String nowhere = "http://127.0.0.1:" + CrateTestServer.unusedPort();
        Output output = new Output();
        long started = System.nanoTime();

        int status = Quickstart.run(List.of(nowhere), output.out, output.err);

        assertThat(status).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(output.err()).contains("No CrateDB found at " + nowhere, "docker run --rm -p 4200:4200 crate",
            "CRATEDB_URL=http://host:4200");
        assertThat(output.out()).isEmpty();
    }

    @Test
    void neverPrintsCredentialsFromTheNodeUrl() {
        Output output = new Output();
        Quickstart.run(List.of("http://crate:s3cret@127.0.0.1:" + CrateTestServer.unusedPort()), output.out, output.err);
        assertThat(output.err()).contains("http://***@127.0.0.1:").doesNotContain("s3cret");
    }

    private static final class Output {
        private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

        String out() {
            return outBytes.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return errBytes.toString(StandardCharsets.UTF_8);
        }
    }
}
