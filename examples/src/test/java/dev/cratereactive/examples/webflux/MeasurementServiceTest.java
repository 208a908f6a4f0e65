package dev.cratereactive.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateClient;
import dev.cratereactive.examples.CrateResponses;
import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.RecordedRequest;
import dev.cratereactive.testing.Reply;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole service on a random port, its CrateDB played by {@link CrateTestServer} with response bodies as CrateDB
 * 6.4.3 writes them.
 */
class MeasurementServiceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CREATE = "CREATE TABLE IF NOT EXISTS measurements (id BIGINT PRIMARY KEY, sensor TEXT,"
        + " celsius DOUBLE PRECISION, taken_at TIMESTAMP WITH TIME ZONE) WITH (number_of_replicas = 0)";
    private static final String LATEST = "SELECT id, sensor, celsius, taken_at FROM measurements"
        + " ORDER BY taken_at DESC, id DESC LIMIT ?";
    private static final String INSERT = "INSERT INTO measurements (id, sensor, celsius, taken_at) VALUES (?, ?, ?, ?)";

    private final CrateTestServer crate = CrateTestServer.start();
    private ConfigurableApplicationContext context;
    private WebTestClient web;

    @BeforeEach
    void startService() {
        crate.respond(request -> switch (request.statement()) {
            case CREATE -> CrateResponses.ddl();
            case LATEST -> CrateResponses.rows(List.of("id", "sensor", "celsius", "taken_at"), List.of(10, 4, 6, 11),
                "[3,\"kitchen\",21.5,1709210096789]", "[2,\"cellar\",12.25,1709206496000]");
            // Row 2 of every bulk request repeats an existing id: CrateDB rejects it alone, with HTTP 200.
            case INSERT -> CrateResponses.bulk(StreamSupport.stream(request.json().path("bulk_args").spliterator(), false)
                .map(args -> args.get(0).asLong() == 1).toList());
            default -> Reply.json(400, "{\"error\":{\"message\":\"SQLParseException[unexpected]\",\"code\":4000}}");
        });
        context = SpringApplication.run(MeasurementServiceApplication.class, "--server.port=0",
            "--cratedb.nodes=" + crate.url(), "--measurements.batch-size=2");
        String port = context.getEnvironment().getProperty("local.server.port");
        web = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(TIMEOUT).build();
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
        crate.close();
    }

    @Test
    void createsTheTableAtStartUp() {
        assertThat(crate.requests()).extracting(RecordedRequest::statement).containsExactly(CREATE);
    }

    @Test
    void streamsTheLatestMeasurementsAsNdjson() {
        String body = web.get().uri("/measurements?limit=2").accept(MediaType.APPLICATION_NDJSON)
            .exchange()
            .expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();

        assertThat(body).endsWith("\n");
        List<JsonNode> lines = body.lines().map(JSON::readTree).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).toString())
            .isEqualTo("{\"id\":3,\"sensor\":\"kitchen\",\"celsius\":21.5,\"takenAt\":\"2024-02-29T12:34:56.789Z\"}");
        assertThat(lines.get(1).toString())
            .isEqualTo("{\"id\":2,\"sensor\":\"cellar\",\"celsius\":12.25,\"takenAt\":\"2024-02-29T11:34:56Z\"}");

        RecordedRequest query = crate.requests().get(1);
        assertThat(query.statement()).isEqualTo(LATEST);
        assertThat(query.json().path("args").toString()).isEqualTo("[2]");
        assertThat(query.uri()).isEqualTo("/_sql?types");
    }

    @Test
    void streamsTheLatestMeasurementsAsServerSentEvents() {
        StepVerifier.create(web.get().uri("/measurements?limit=2").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .returnResult(Measurement.class)
                .getResponseBody())
            .assertNext(first -> {
                assertThat(first.id()).isEqualTo(3);
                assertThat(first.sensor()).isEqualTo("kitchen");
                assertThat(first.takenAt()).hasToString("2024-02-29T12:34:56.789Z");
            })
            .assertNext(second -> assertThat(second.id()).isEqualTo(2))
            .expectComplete()
            .verify(TIMEOUT);
    }

    @Test
    void rejectsALimitOutOfRangeWithoutAskingCrateDb() {
        web.get().uri("/measurements?limit=0").accept(MediaType.APPLICATION_NDJSON).exchange()
            .expectStatus().isBadRequest()
            .expectBody().returnResult(); // read the error body: an unread body is a leaked buffer
        assertThat(crate.requests()).hasSize(1); // only the CREATE TABLE of the start-up
    }

    @Test
    void insertsPostedNdjsonInBulkBatchesAndReportsRejectedRows() {
        String ndjson = """
            {"id":1,"sensor":"kitchen","celsius":21.5,"takenAt":"2024-02-29T12:00:00Z"}
            {"id":7,"sensor":"cellar","celsius":12.0,"takenAt":"2024-02-29T12:01:00Z"}
            {"id":8,"sensor":"garden","celsius":3.5,"takenAt":"2024-02-29T12:02:00Z"}
            """;

        web.post().uri("/measurements").contentType(MediaType.APPLICATION_NDJSON).bodyValue(ndjson)
            .exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.received").isEqualTo(3)
            .jsonPath("$.inserted").isEqualTo(2)
            .jsonPath("$.failed.length()").isEqualTo(1)
            .jsonPath("$.failed[0].index").isEqualTo(0)
            .jsonPath("$.failed[0].id").isEqualTo(1)
            .jsonPath("$.failed[0].code").isEqualTo(4091)
            .jsonPath("$.failed[0].message").isEqualTo("DuplicateKeyException[A document with the same primary key exists already]");

        List<RecordedRequest> bulks = crate.requests().subList(1, crate.requests().size());
        assertThat(bulks).extracting(RecordedRequest::statement).containsOnly(INSERT);
        assertThat(bulks).extracting(request -> request.json().path("bulk_args").toString()).containsExactly(
            "[[1,\"kitchen\",21.5,1709208000000],[7,\"cellar\",12.0,1709208060000]]",
            "[[8,\"garden\",3.5,1709208120000]]");
    }

    @Test
    void acceptsAJsonArrayToo() {
        web.post().uri("/measurements").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("[{\"id\":9,\"sensor\":\"attic\",\"celsius\":25.0,\"takenAt\":\"2024-02-29T12:03:00Z\"}]")
            .exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.received").isEqualTo(1)
            .jsonPath("$.inserted").isEqualTo(1)
            .jsonPath("$.failed").isEmpty();
        assertThat(crate.requests().get(1).json().path("bulk_args").toString())
            .isEqualTo("[[9,\"attic\",25.0,1709208180000]]");
    }

    @Test
    void closesTheCrateClientOnShutdown() {
        CrateClient client = context.getBean(CrateClient.class);
        context.close();
        context = null;

        StepVerifier.create(client.sql("SELECT 1"))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed"))
            .verify(TIMEOUT);
        assertThat(crate.requests().stream().map(RecordedRequest::statement).collect(Collectors.toList()))
            .containsExactly(CREATE);
    }
}
