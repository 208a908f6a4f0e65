package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.testing.RecordedRequest;
import dev.cratereactive.testing.Reply;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** A JWT supplier's new token is used from the next request; a 401 asks it once more and resends once. */
class JwtRotationTest extends SingleNodeTestSupport {

    /** What CrateDB 6.4.3 answers to a JWT that does not verify (recorded). */
    private static final Reply REJECTED = Reply.transcript("auth-jwt-bad-signature");

    private void acceptOnly(String token) {
        server.respond(request -> ("Bearer " + token).equals(request.header("authorization"))
            ? Reply.transcript("select-simple") : REJECTED);
    }

    @Test
    void aRotatedTokenIsUsedFromTheNextRequest() {
        AtomicInteger calls = new AtomicInteger();
        acceptOnly("t1");
        connect(CrateClient.builder().jwt(() -> calls.get() < 1 ? "t" + calls.incrementAndGet() : "t" + calls.get()));
        StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
        calls.set(2);
        acceptOnly("t2");
        StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
        assertThat(server.requests()).extracting(r -> r.header("authorization")).containsExactly("Bearer t1", "Bearer t2");
    }

    @Test
    void a401AsksTheSupplierOnceMoreAndResendsToTheSameNode() {
        AtomicInteger calls = new AtomicInteger();
        acceptOnly("fresh");
        connect(CrateClient.builder().maxRetries(0).jwt(() -> calls.incrementAndGet() == 1 ? "expired" : "fresh"));
        StepVerifier.create(client.execute("UPDATE t SET x = 1")).expectNextCount(1).expectComplete().verify(WAIT);
        assertThat(calls).hasValue(2);
        List<RecordedRequest> requests = server.requests();
        assertThat(requests).extracting(r -> r.header("authorization")).containsExactly("Bearer expired", "Bearer fresh");
        assertThat(client.nodes()).hasSize(1);
    }

    @Test
    void aSecond401FailsWithoutAThirdRequest() {
        server.respond(REJECTED);
        connect(CrateClient.builder().maxRetries(3).jwt(() -> "expired"));
        StepVerifier.create(client.sql("SELECT 1"))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateAuthenticationException.class)
                .hasMessageContaining("HTTP 401"))
            .verify(WAIT);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aStaticTokenIsNotResent() {
        server.respond(REJECTED);
        connect(CrateClient.builder().jwt("static-token"));
        StepVerifier.create(client.sql("SELECT 1")).expectError(CrateAuthenticationException.class).verify(WAIT);
        assertThat(server.requests()).hasSize(1);
    }
}
