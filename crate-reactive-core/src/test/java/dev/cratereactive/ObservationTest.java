package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.testing.Reply;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** One {@code cratedb.client.call} observation per call, one {@code cratedb.client.attempt} child per attempt. */
class ObservationTest extends FailoverPairTestSupport {


    private final TestObservationRegistry registry = TestObservationRegistry.create();

    @Test
    void aRetryOnAnotherNodeIsASecondAttemptUnderTheSameCall() {
        working.respond(Reply.transcript("select-simple"));
        client = failingThenWorking()
            .observationRegistry(registry).build();
        StepVerifier.create(client.sql("SELECT ? FROM t WHERE secret = ?", 1, "hunter2")).expectNextCount(1)
            .expectComplete().verify(WAIT);

        TestObservationRegistryAssert.assertThat(registry)
            .hasNumberOfObservationsWithNameEqualTo("cratedb.client.call", 1)
            .hasNumberOfObservationsWithNameEqualTo("cratedb.client.attempt", 2)
            .hasObservationWithNameEqualTo("cratedb.client.call").that()
            .hasBeenStarted().hasBeenStopped()
            .hasLowCardinalityKeyValue("db.system.name", "cratedb")
            .hasLowCardinalityKeyValue("db.operation.name", "SELECT")
            .hasLowCardinalityKeyValue("server.address", "127.0.0.1")
            .hasLowCardinalityKeyValue("server.port", Integer.toString(working.port()))
            .hasHighCardinalityKeyValue("db.query.text", "SELECT ? FROM t WHERE secret = ?");

        TestObservationRegistryAssert.assertThat(registry).hasHandledContextsThatSatisfy(contexts -> {
            Observation.Context call = contexts.stream().filter(c -> c.getName().equals("cratedb.client.call"))
                .findFirst().orElseThrow();
            List<Observation.Context> attempts = contexts.stream()
                .filter(c -> c.getName().equals("cratedb.client.attempt")).toList();
            assertThat(attempts).allSatisfy(attempt ->
                assertThat(attempt.getParentObservation().getContextView()).isSameAs(call));
            assertThat(attempts).extracting(a -> a.getLowCardinalityKeyValue("server.port").getValue())
                .containsExactly(Integer.toString(failing.port()), Integer.toString(working.port()));
            assertThat(attempts.get(0).getError()).isInstanceOf(CrateConnectionException.class);
            assertThat(attempts.get(0).getLowCardinalityKeyValue("error.type").getValue())
                .isEqualTo(CrateConnectionException.class.getName());
            assertThat(contexts).allSatisfy(context -> assertThat(context.getAllKeyValues().toString())
                .doesNotContain("hunter2"));
        });
    }

    @Test
    void aRejectedStatementCarriesCrateDbsCode() {
        working.respond(Reply.transcript("error-unknown-table"));
        client = CrateClient.builder().nodes(working.url()).observationRegistry(registry).build();
        StepVerifier.create(client.sql("SELECT * FROM missing")).expectError(CrateSqlException.class).verify(WAIT);
        TestObservationRegistryAssert.assertThat(registry)
            .hasObservationWithNameEqualTo("cratedb.client.call").that()
            .hasLowCardinalityKeyValue("db.response.status_code", "4041")
            .hasLowCardinalityKeyValue("error.type", CrateSqlException.class.getName())
            .hasError();
    }

    @Test
    void theCallIsAChildOfTheCallersObservation() {
        working.respond(Reply.transcript("select-simple"));
        client = CrateClient.builder().nodes(working.url()).observationRegistry(registry).build();
        Observation request = Observation.start("http.server.request", registry);
        StepVerifier.create(client.sql("SELECT 1").contextWrite(context -> context.put("micrometer.observation", request)))
            .expectNextCount(1).expectComplete().verify(WAIT);
        request.stop();
        TestObservationRegistryAssert.assertThat(registry).hasHandledContextsThatSatisfy(contexts ->
            assertThat(contexts.stream().filter(c -> c.getName().equals("cratedb.client.call")).findFirst().orElseThrow()
                .getParentObservation()).isSameAs(request));
    }
}
