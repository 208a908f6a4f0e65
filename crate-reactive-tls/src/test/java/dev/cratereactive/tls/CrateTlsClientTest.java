package dev.cratereactive.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateConnectionException;
import io.netty.handler.ssl.ClientAuth;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

/**
 * End to end: {@code CrateClient.builder().nodes("https://...").tls(crateTls)} against in-process HTTPS servers.
 * Rejected certificates surface as {@link CrateConnectionException} with the handshake failure in the cause chain.
 */
class CrateTlsClientTest extends TlsServerTestSupport {

    static Path caPem;

    private CrateClient client;

    @BeforeAll
    static void writeCaPem() {
        caPem = pki.certificatesPem("ca.pem", pki.ca.certificate());
    }

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    private CrateClient client(String node, CrateTls tls) {
        client = CrateClient.builder().nodes(node).tls(tls).maxRetries(0).connectTimeout(Duration.ofSeconds(5)).build();
        return client;
    }

    // ---- accepted

    @ParameterizedTest(name = "host {0}")
    @ValueSource(strings = {"127.0.0.1", "localhost"})
    void caBundleVerifiesTheServer(String host) {
        server = TlsTestServer.https(pki.server);
        CrateTls tls = CrateTls.builder()
            .caCertificate(pki.certificatesPem("bundle.pem", pki.unknownCa.certificate(), pki.ca.certificate()))
            .build();

        StepVerifier.create(client(server.url("https", host), tls).sql("SELECT 1 AS x").map(row -> row.get("x")))
            .expectNext(1)
            .expectComplete()
            .verify(TIMEOUT);
        assertThat(server.protocols()).containsExactly("TLSv1.3");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PKCS12", "JKS"})
    void trustStoreVerifiesTheServer(String type) {
        server = TlsTestServer.https(pki.server);
        Path store = pki.trustStore("client-test-trust-" + type, type, TestPki.PASSWORD, pki.ca.certificate());
        CrateTls tls = CrateTls.builder().trustStore(store, TestPki.PASSWORD.toCharArray()).build();

        StepVerifier.create(client(server.url("https", "127.0.0.1"), tls).sql("SELECT 1 AS x").map(row -> row.get("x")))
            .expectNext(1)
            .expectComplete()
            .verify(TIMEOUT);
    }

    // ---- rejected server certificates

    @Test
    void certificateOfAnUnknownCaIsRejected() {
        server = TlsTestServer.https(pki.serverOfUnknownCa);

        expectHandshakeFailure(client(server.url("https", "127.0.0.1"), CrateTls.builder().caCertificate(caPem).build()),
            "PKIX path building failed");
    }

    @ParameterizedTest(name = "host {0}")
    @ValueSource(strings = {"127.0.0.1", "localhost"})
    void certificateForAnotherHostIsRejected(String host) {
        server = TlsTestServer.https(pki.serverForOtherHost);

        expectHandshakeFailure(client(server.url("https", host), CrateTls.builder().caCertificate(caPem).build()),
            "No subject alternative");
    }

    @Test
    void expiredCertificateIsRejected() {
        server = TlsTestServer.https(pki.expiredServer);

        StepVerifier.create(client(server.url("https", "127.0.0.1"), CrateTls.builder().caCertificate(caPem).build()).sql("SELECT 1 AS x"))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(CrateConnectionException.class);
                assertThat(Failures.contains(error, SSLHandshakeException.class)).as(Failures.messages(error)).isTrue();
                assertThat(Failures.contains(error, CertificateExpiredException.class)).as(Failures.messages(error)).isTrue();
            })
            .verify(TIMEOUT);
        assertThat(server.requestBodies()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("untrustedServers")
    void verificationOffAcceptsAnyCertificateAndHost(String name, Function<TestPki, TestPki.Issued> identity, String host) {
        server = TlsTestServer.https(identity.apply(pki));
        CrateTls tls = CrateTls.builder().verifyServerCertificate(false).build();

        StepVerifier.create(client(server.url("https", host), tls).sql("SELECT 1 AS x").map(row -> row.get("x")))
            .expectNext(1)
            .expectComplete()
            .verify(TIMEOUT);
    }

    // ---- client certificates

    static Stream<Arguments> clientMaterial() {
        Function<TestPki, CrateTls.Builder> rsaPkcs1 = p -> CrateTls.builder()
            .clientCertificate(p.certificatesPem("e2e-rsa.pem", p.rsaClient.certificate()), p.traditionalKey("e2e-rsa.key", p.rsaClient.key()));
        Function<TestPki, CrateTls.Builder> ecEncrypted = p -> CrateTls.builder()
            .clientCertificate(p.certificatesPem("e2e-ec.pem", p.ecClient.certificate()),
                p.encryptedPkcs8Key("e2e-ec.key", p.ecClient.key(), TestPki.PASSWORD))
            .clientKeyPassword(TestPki.PASSWORD.toCharArray());
        Function<TestPki, CrateTls.Builder> pkcs12 = p -> CrateTls.builder()
            .keyStore(p.keyStore("e2e-client.p12", "PKCS12", TestPki.PASSWORD, TestPki.PASSWORD, p.rsaClient), TestPki.PASSWORD.toCharArray());
        return Stream.of(
            Arguments.of("RSA PKCS#1 PEM", rsaPkcs1),
            Arguments.of("EC encrypted PKCS#8 PEM", ecEncrypted),
            Arguments.of("PKCS#12 key store", pkcs12));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientMaterial")
    void mutualTlsAuthenticatesWithTheClientCertificate(String name, Function<TestPki, CrateTls.Builder> material) {
        server = TlsTestServer.mutualTls(pki.server, pki.ca.certificate());
        CrateTls tls = material.apply(pki).caCertificate(caPem).build();

        StepVerifier.create(client(server.url("https", "127.0.0.1"), tls).sql("SELECT current_user AS u").map(row -> row.get("u")))
            .expectNext(TestPki.CLIENT_USER)
            .expectComplete()
            .verify(TIMEOUT);
        assertThat(server.clientSubjects()).containsExactly("CN=" + TestPki.CLIENT_USER);
    }

    @Test
    void mutualTlsRejectsAClientWithoutCertificate() {
        server = TlsTestServer.mutualTls(pki.server, pki.ca.certificate());

        // TLS 1.3 rejects the missing certificate after the client's handshake: the connection closes
        StepVerifier.create(client(server.url("https", "127.0.0.1"), CrateTls.builder().caCertificate(caPem).build()).sql("SELECT 1"))
            .expectError(CrateConnectionException.class)
            .verify(TIMEOUT);
        assertThat(server.requestBodies()).isEmpty();
    }

    @Test
    void mutualTlsRejectsAClientWithoutCertificateInTheTls12Handshake() {
        server = TlsTestServer.https(pki.server, builder -> builder.protocols("TLSv1.2")
            .trustManager(pki.ca.certificate()).clientAuth(ClientAuth.REQUIRE));

        expectHandshakeFailure(client(server.url("https", "127.0.0.1"), CrateTls.builder().caCertificate(caPem).build()), "");
    }

    // ---- protocol versions and plain HTTP

    @ParameterizedTest(name = "relaxMinimumVersion {0}")
    @ValueSource(booleans = {false, true})
    void tls12OnlyServerIsReachedEitherWay(boolean relax) {
        server = TlsTestServer.https(pki.server, builder -> builder.protocols("TLSv1.2"));
        CrateTls tls = CrateTls.builder().caCertificate(caPem).relaxMinimumVersion(relax).build();

        StepVerifier.create(client(server.url("https", "127.0.0.1"), tls).sql("SELECT 1 AS x").map(row -> row.get("x")))
            .expectNext(1)
            .expectComplete()
            .verify(TIMEOUT);
        assertThat(server.protocols()).containsExactly("TLSv1.2");
    }

    @Test
    void httpNodeIgnoresTheTlsSettings() {
        server = TlsTestServer.plainHttp();
        CrateTls tls = CrateTls.builder()
            .caCertificate(caPem)
            .clientCertificate(pki.certificatesPem("ignored.pem", pki.rsaClient.certificate()), pki.pkcs8Key("ignored.key", pki.rsaClient.key()))
            .build();

        StepVerifier.create(client(server.url("http", "127.0.0.1"), tls).sql("SELECT 1 AS x").map(row -> row.get("x")))
            .expectNext(1)
            .expectComplete()
            .verify(TIMEOUT);
        assertThat(server.protocols()).containsExactly("none");
    }

    private void expectHandshakeFailure(CrateClient crate, String reason) {
        StepVerifier.create(crate.sql("SELECT 1 AS x"))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(CrateConnectionException.class);
                assertThat(Failures.contains(error, SSLHandshakeException.class)).as(Failures.messages(error)).isTrue();
                assertThat(Failures.messages(error)).contains(reason);
            })
            .verify(TIMEOUT);
        assertThat(server.requestBodies()).isEmpty();
    }
}
