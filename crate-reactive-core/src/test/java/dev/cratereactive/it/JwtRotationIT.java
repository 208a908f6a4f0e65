package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateAuthenticationException;
import dev.cratereactive.CrateClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** A rotating JWT against the kit's JWT-authenticating node ({@value #AUTH_URL_VARIABLE}). */
class JwtRotationIT {

    static final String AUTH_URL_VARIABLE = "CRATEDB_AUTH_URL";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static String url;
    private static String token;
    private static String user;

    @BeforeAll
    static void authNode() {
        url = System.getenv(AUTH_URL_VARIABLE);
        token = System.getenv("CRATEDB_JWT");
        user = System.getenv("CRATEDB_JWT_USER");
        Assumptions.assumeTrue(url != null && token != null && user != null, "set " + AUTH_URL_VARIABLE
            + ", CRATEDB_JWT and CRATEDB_JWT_USER (the kit's 'auth' set) to test JWT rotation");
    }

    /** A token the server rejects with 401: the real one with a signature that does not verify. */
    private static String expired() {
        return token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
    }

    @Test
    void a401AsksTheSupplierOnceMoreAndTheResendSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        try (CrateClient client = CrateClient.builder().nodes(url).maxRetries(0)
                .jwt(() -> calls.incrementAndGet() == 1 ? expired() : token).build()) {
            StepVerifier.create(client.sql("SELECT current_user AS u").map(row -> row.get("u")))
                .expectNext(user)
                .expectComplete()
                .verify(TIMEOUT);
            assertThat(calls).hasValue(2);
        }
    }

    @Test
    void aSupplierThatKeepsAnsweringABadTokenFailsAfterOneResend() {
        AtomicInteger calls = new AtomicInteger();
        try (CrateClient client = CrateClient.builder().nodes(url).jwt(() -> {
            calls.incrementAndGet();
            return expired();
        }).build()) {
            StepVerifier.create(client.sql("SELECT current_user AS u"))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateAuthenticationException.class)
                    .hasMessageContaining("HTTP 401").hasMessageNotContaining(token))
                .verify(TIMEOUT);
            assertThat(calls).hasValue(2);
        }
    }
}
