package dev.cratereactive.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateConnectionException;
import dev.cratereactive.testing.CrateDb;
import dev.cratereactive.testing.NodeSet;
import dev.cratereactive.testing.RealCrateDb;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.test.StepVerifier;

/**
 * {@link CrateTls} against the real HTTPS node of the CrateDB kit ({@link NodeSet#TLS}): its CA, a client
 * certificate in every key format the kit's {@code CRATEDB_PKI} holds (host-based authentication maps CN=crate to
 * the user {@code crate}), the password user {@code alice}, and the handshakes that must fail. The server
 * certificate names {@code DNS:localhost} only.
 */
@RealCrateDb(NodeSet.TLS)
class CrateTlsIT {

    private static final Duration TIMEOUT = CrateDb.TIMEOUT;

    static Stream<Arguments> clientKeyFormats() {
        Function<CrateDb, CrateTls.Builder> pkcs8 = db -> withCa(db).clientCertificate(db.pki("client.pem"),
            db.pki("client.key"));
        Function<CrateDb, CrateTls.Builder> pkcs1 = db -> withCa(db).clientCertificate(db.pki("client.pem"),
            db.pki("client.rsa.pem"));
        Function<CrateDb, CrateTls.Builder> encrypted = db -> withCa(db).clientCertificate(db.pki("client.pem"),
            db.pki("client.enc.pem")).clientKeyPassword("keypw".toCharArray());
        Function<CrateDb, CrateTls.Builder> sec1 = db -> withCa(db).clientCertificate(db.pki("client-ec.pem"),
            db.pki("client-ec.sec1.pem"));
        Function<CrateDb, CrateTls.Builder> pkcs12 = db -> CrateTls.builder()
            .trustStore(db.pki("truststore.p12"), "changeit".toCharArray())
            .keyStore(db.pki("client.p12"), "changeit".toCharArray());
        return Stream.of(Arguments.of("PKCS#8", pkcs8), Arguments.of("PKCS#1", pkcs1),
            Arguments.of("encrypted PKCS#8", encrypted), Arguments.of("SEC1 EC", sec1),
            Arguments.of("PKCS#12 key store and trust store", pkcs12));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientKeyFormats")
    void clientCertificateAuthenticatesTheUserItNames(String format, Function<CrateDb, CrateTls.Builder> tls,
                                                      CrateDb db) {
        CrateClient client = db.track(CrateClient.builder().nodes(db.urls()).tls(tls.apply(db).build()).build());

        StepVerifier.create(client.sql("SELECT current_user AS u").map(row -> row.get("u")))
            .expectNext("crate")
            .expectComplete()
            .verify(TIMEOUT);
    }

    @Test
    void passwordUserOverHttps(CrateDb db) {
        CrateClient client = db.track(CrateClient.builder().nodes(db.urls()).tls(withCa(db).build())
            .username("alice").password("secret").build());

        StepVerifier.create(client.sql("SELECT current_user AS u").map(row -> row.get("u")))
            .expectNext("alice")
            .expectComplete()
            .verify(TIMEOUT);
    }

    /** Cursors and sessions run on connections of their own, built by the same configuration path: TLS included. */
    @Test
    void cursorsAndSessionsUseTheClientsTlsAndCredentials(CrateDb db) {
        CrateClient client = db.track(CrateClient.builder().nodes(db.urls()).tls(withCa(db).build())
            .username("alice").password("secret").build());

        StepVerifier.create(client.sql(dev.cratereactive.Statement.of(
                "SELECT current_user AS u, x FROM generate_series(1, 25) AS t(x)").fetchSize(10)).map(row -> row.get("u")))
            .expectNextCount(25)
            .expectComplete()
            .verify(TIMEOUT);
        StepVerifier.create(client.session(session -> session.execute("SET SESSION search_path TO tls_session")
                .thenMany(session.sql("SELECT current_user AS u, current_schema AS s")))
                .map(row -> row.get("u") + "/" + row.get("s")))
            .expectNext("alice/tls_session")
            .expectComplete()
            .verify(TIMEOUT);
    }

    @Test
    void serverCertificateOfAnotherCaIsRejected(CrateDb db, @TempDir Path dir) {
        TestPki other = new TestPki(dir);
        CrateTls tls = CrateTls.builder().caCertificate(other.certificatesPem("other-ca.pem", other.ca.certificate()))
            .build();

        expectHandshakeFailure(db, db.urls().get(0), tls, "PKIX path building failed");
    }

    @Test
    void hostNameThatTheCertificateDoesNotNameIsRejected(CrateDb db) {
        String byAddress = db.urls().get(0).replace("localhost", "127.0.0.1");
        assertThat(byAddress).as("the kit's TLS URL names localhost").isNotEqualTo(db.urls().get(0));

        expectHandshakeFailure(db, byAddress, withCa(db).build(), "No subject alternative");
    }

    @Test
    void verificationOffAcceptsTheServerWhateverItsNameAndCa(CrateDb db) {
        String byAddress = db.urls().get(0).replace("localhost", "127.0.0.1");
        CrateClient client = db.track(CrateClient.builder().nodes(byAddress)
            .tls(CrateTls.builder().verifyServerCertificate(false).build())
            .username("alice").password("secret").build());

        StepVerifier.create(client.sql("SELECT current_user AS u").map(row -> row.get("u")))
            .expectNext("alice")
            .expectComplete()
            .verify(TIMEOUT);
    }

    private static CrateTls.Builder withCa(CrateDb db) {
        return CrateTls.builder().caCertificate(db.pki("ca.pem"));
    }

    private static void expectHandshakeFailure(CrateDb db, String url, CrateTls tls, String reason) {
        CrateClient client = db.track(CrateClient.builder().nodes(url).tls(tls)
            .username("alice").password("secret").build());
        StepVerifier.create(client.sql("SELECT current_user AS u"))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(CrateConnectionException.class);
                assertThat(Failures.contains(error, SSLHandshakeException.class)).as(Failures.messages(error)).isTrue();
                assertThat(Failures.messages(error)).contains(reason);
            })
            .verify(TIMEOUT);
    }
}
