package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateAuthenticationException;
import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateException;
import dev.cratereactive.testing.CrateDb;
import dev.cratereactive.testing.RealCrateDb;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Authentication against a real CrateDB, only as far as the server allows it: test users are created (and
 * dropped) only when connected as the superuser {@code crate}; password checks only where host-based
 * authentication checks passwords (a "trust" rule takes the user name as is); JWT only when a token is supplied.
 * Rejections are HTTP 401 with a plain-text body ({@code auth-basic-wrong-password}, {@code auth-unknown-user}).
 */
@RealCrateDb
class AuthIT {

    private static final Duration TIMEOUT = CrateDb.TIMEOUT;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Environment variable with a JWT the server accepts. */
    static final String JWT_VARIABLE = "CRATEDB_JWT";
    /** Environment variable with the user that JWT authenticates. */
    static final String JWT_USER_VARIABLE = "CRATEDB_JWT_USER";

    @Test
    void basicAuthenticationAuthenticatesTheUser(CrateDb db) {
        TestUser user = createUser(db);
        CrateClient asUser = db.track(CrateClient.builder().nodes(db.urlsWithoutCredentials())
            .username(user.name()).password(user.password()).build());

        Object outcome = currentUser(asUser);
        if (outcome instanceof CrateAuthenticationException rejected) {
            Assumptions.abort("the server's host-based authentication does not admit new users from this address: "
                + rejected.getMessage());
        }
        assertThat(outcome).isEqualTo(user.name());
    }

    @Test
    void wrongPasswordIsRejectedWithStatus401(CrateDb db) {
        TestUser user = createUser(db);
        String wrong = "wrong-" + user.password();
        CrateClient withWrongPassword = db.track(CrateClient.builder().nodes(db.urlsWithoutCredentials())
            .username(user.name()).password(wrong).build());

        Object outcome = currentUser(withWrongPassword);
        if (user.name().equals(outcome)) {
            Assumptions.abort("the server trusts this address (host-based authentication off or method 'trust'):"
                + " passwords are not checked");
        }
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
        if (!(outcome instanceof CrateException)) {
            Assumptions.abort("the server admitted an unknown user (host-based authentication off?): " + outcome);
        }
        CrateException rejected = (CrateException) outcome;
        assertThat(rejected.httpStatus()).isEqualTo(401);
        assertThat(rejected.getMessage()).doesNotContain("irrelevant");
    }

    @Test
    void jwtAuthenticatesTheUserItNames(CrateDb db) {
        String token = System.getenv(JWT_VARIABLE);
        String user = System.getenv(JWT_USER_VARIABLE);
        Assumptions.assumeTrue(token != null && !token.isBlank() && user != null && !user.isBlank(),
            "set " + JWT_VARIABLE + " and " + JWT_USER_VARIABLE + " to test JWT authentication (the server needs an"
                + " auth.host_based 'jwt' entry and a user created WITH (jwt = {\"iss\" = ..., \"username\" = ...}))");
        CrateClient withToken = db.track(CrateClient.builder().nodes(db.urlsWithoutCredentials()).jwt(token).build());
        StepVerifier.create(withToken.sql("SELECT current_user AS u").map(row -> row.get("u")))
            .expectNext(user)
            .expectComplete()
            .verify(TIMEOUT);

        CrateClient withTamperedToken = db.track(CrateClient.builder().nodes(db.urlsWithoutCredentials())
            .jwt(token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA")).build());
        StepVerifier.create(withTamperedToken.sql("SELECT current_user AS u"))
            .expectErrorSatisfies(error -> assertThat(((CrateException) error).httpStatus()).isEqualTo(401))
            .verify(TIMEOUT);
    }

    /** Creates a user with a random password (dropped after the test); skips unless connected as superuser crate. */
    private static TestUser createUser(CrateDb db) {
        Object connectedAs = db.query("SELECT current_user AS u").get(0).get("u");
        Assumptions.assumeTrue("crate".equals(connectedAs),
            "creating a test user needs the superuser crate; connected as " + connectedAs);
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
