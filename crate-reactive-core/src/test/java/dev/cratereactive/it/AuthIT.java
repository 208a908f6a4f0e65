package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateAuthenticationException;
import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateException;
import dev.cratereactive.testing.CrateDb;
import dev.cratereactive.testing.NodeSet;
import dev.cratereactive.testing.RealCrateDb;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Authentication against the real {@link NodeSet#AUTH} node: host-based authentication trusts the superuser
 * {@code crate} from loopback (so the test can create users), checks every other user's password, and admits
 * {@code CRATEDB_JWT_USER} by the token {@code CRATEDB_JWT}. Rejections are HTTP 401 with a plain-text body
 * ({@code auth-basic-wrong-password}, {@code auth-unknown-user}).
 */
@RealCrateDb(NodeSet.AUTH)
class AuthIT {

    private static final Duration TIMEOUT = CrateDb.TIMEOUT;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void basicAuthenticationAuthenticatesTheUser(CrateDb db) {
        TestUser user = createUser(db);
        CrateClient asUser = db.track(CrateClient.builder().nodes(db.urlsWithoutCredentials())
            .username(user.name()).password(user.password()).build());

        assertThat(currentUser(asUser)).isEqualTo(user.name());
    }

    @Test
    void wrongPasswordIsRejectedWithStatus401(CrateDb db) {
        TestUser user = createUser(db);
        String wrong = "wrong-" + user.password();
        CrateClient withWrongPassword = db.track(CrateClient.builder().nodes(db.urlsWithoutCredentials())
            .username(user.name()).password(wrong).build());

        Object outcome = currentUser(withWrongPassword);
        assertThat(outcome).isInstanceOf(CrateAuthenticationException.class);
        CrateAuthenticationException rejected = (CrateAuthenticationException) outcome;
        assertThat(rejected.httpStatus()).isEqualTo(401);
        assertThat(rejected.getMessage()).doesNotContain(wrong);
        assertThat(rejected.toString()).doesNotContain(wrong);
    }

    @Test
    void unknownUserIsRejectedWithStatus401(CrateDb db) {
        String unknown = db.uniqueName("it_nobody");
        CrateClient asNobody = db.track(CrateClient.builder().nodes(db.urlsWithoutCredentials())
            .username(unknown).password("irrelevant").build());

        Object outcome = currentUser(asNobody);
        assertThat(outcome).isInstanceOf(CrateAuthenticationException.class);
        CrateException rejected = (CrateException) outcome;
        assertThat(rejected.httpStatus()).isEqualTo(401);
        assertThat(rejected.getMessage()).doesNotContain("irrelevant");
    }

    @Test
    void jwtAuthenticatesTheUserItNames(CrateDb db) {
        CrateClient withToken = db.track(CrateClient.builder().nodes(db.urlsWithoutCredentials()).jwt(db.jwt()).build());
        StepVerifier.create(withToken.sql("SELECT current_user AS u").map(row -> row.get("u")))
            .expectNext(db.jwtUser())
            .expectComplete()
            .verify(TIMEOUT);
    }

    @Test
    void tamperedJwtIsRejectedWithStatus401(CrateDb db) {
        String token = db.jwt();
        // Same header and claims, one character of the signature changed.
        int at = token.lastIndexOf('.') + 10;
        String tampered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
        CrateClient withTamperedToken = db.track(CrateClient.builder().nodes(db.urlsWithoutCredentials())
            .jwt(tampered).build());
        Object outcome = currentUser(withTamperedToken);
        assertThat(outcome).isInstanceOf(CrateAuthenticationException.class);
        assertThat(((CrateException) outcome).httpStatus()).isEqualTo(401);
        assertThat(((CrateException) outcome).getMessage()).doesNotContain(tampered);
    }

    /** Creates a user with a random password, dropped after the test (the kit trusts crate from loopback). */
    private static TestUser createUser(CrateDb db) {
        assertThat(db.query("SELECT current_user AS u").get(0).get("u")).as("connected as").isEqualTo("crate");
        TestUser user = new TestUser(db.uniqueName("it_user"), "pw" + Long.toHexString(RANDOM.nextLong()));
        db.cleanUpAfterTest("DROP USER IF EXISTS " + user.name());
        db.execute("CREATE USER " + user.name() + " WITH (password = '" + user.password() + "')");
        return user;
    }

    /** A short-lived test user; its password never shows in assertion messages. */
    private record TestUser(String name, String password) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** @return the user name the server saw, or the error it answered with */
    private static Object currentUser(CrateClient client) {
        return client.sql("SELECT current_user AS u")
            .map(row -> (Object) row.get("u"))
            .single()
            .onErrorResume(CrateException.class, Mono::just)
            .block(TIMEOUT);
    }
}
