package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateAuthenticationException;
import dev.cratereactive.CrateClient;
import dev.cratereactive.testing.CrateDb;
import dev.cratereactive.testing.NodeSet;
import dev.cratereactive.testing.RealCrateDb;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** A rotating JWT against a real JWT-authenticating node ({@link NodeSet#AUTH}). */
@RealCrateDb(NodeSet.AUTH)
class JwtRotationIT {

    private static final Duration TIMEOUT = CrateDb.TIMEOUT;

    /** A token the server rejects with 401: the real one with a signature that does not verify. */
    private static String expired(String token) {
        return token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
    }

    @Test
    void a401AsksTheSupplierOnceMoreAndTheResendSucceeds(CrateDb db) {
        AtomicInteger calls = new AtomicInteger();
        try (CrateClient client = db.track(CrateClient.builder().nodes(db.urlsWithoutCredentials()).maxRetries(0)
                .jwt(() -> calls.incrementAndGet() == 1 ? expired(db.jwt()) : db.jwt()).build())) {
            StepVerifier.create(client.sql("SELECT current_user AS u").map(row -> row.get("u")))
                .expectNext(db.jwtUser())
                .expectComplete()
                .verify(TIMEOUT);
            assertThat(calls).hasValue(2);
        }
    }

    @Test
    void aSupplierThatKeepsAnsweringABadTokenFailsAfterOneResend(CrateDb db) {
        AtomicInteger calls = new AtomicInteger();
        try (CrateClient client = db.track(CrateClient.builder().nodes(db.urlsWithoutCredentials()).jwt(() -> {
            calls.incrementAndGet();
            return expired(db.jwt());
        }).build())) {
            StepVerifier.create(client.sql("SELECT current_user AS u"))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateAuthenticationException.class)
                    .hasMessageContaining("HTTP 401").hasMessageNotContaining(db.jwt()))
                .verify(TIMEOUT);
            assertThat(calls).hasValue(2);
        }
    }
}
