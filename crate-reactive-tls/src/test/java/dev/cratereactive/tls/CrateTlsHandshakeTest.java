package dev.cratereactive.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.netty.http.client.PrematureCloseException;
import reactor.test.StepVerifier;

/**
 * TLS handshakes of {@link CrateTls} material against in-process HTTPS servers, through Reactor Netty's
 * {@code HttpClient} configured as core's transport does ({@link DirectClient}). Needs no CrateClient.
 */
class CrateTlsHandshakeTest extends TlsServerTestSupport {

    // ---- server verification

    @ParameterizedTest(name = "host {0}")
    @ValueSource(strings = {"127.0.0.1", "localhost"})
    void caBundleWithTwoCertificatesVerifiesTheServer(String host) {
        server = TlsTestServer.https(pki.server);
        Path bundle = pki.certificatesPem("bundle.pem", pki.unknownCa.certificate(), pki.ca.certificate());
        CrateTls tls = CrateTls.builder().caCertificate(bundle).build();

        assertQueryAnswered(tls, host);
        assertThat(server.requestBodies()).containsExactly("{\"stmt\":\"SELECT 1 AS x\"}");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PKCS12", "JKS"})
    void trustStoreVerifiesTheServer(String type) {
        server = TlsTestServer.https(pki.server);
        Path store = pki.trustStore("trust-" + type, type, TestPki.PASSWORD, pki.ca.certificate());
        CrateTls tls = CrateTls.builder().trustStore(store, TestPki.PASSWORD.toCharArray()).build();

        assertQueryAnswered(tls, "127.0.0.1");
    }

    @Test
    void certificateOfAnUnknownCaIsRejected() {
        server = TlsTestServer.https(pki.serverOfUnknownCa);
        CrateTls tls = CrateTls.builder().caCertificate(pki.certificatesPem("ca.pem", pki.ca.certificate())).build();

        expectHandshakeFailure(tls, server.url("https", "127.0.0.1"), "PKIX path building failed");
    }

    @Test
    void jvmDefaultTrustRejectsAPrivateCa() {
        server = TlsTestServer.https(pki.server);

        expectHandshakeFailure(CrateTls.builder().build(), server.url("https", "127.0.0.1"), "PKIX path building failed");
    }

    @ParameterizedTest(name = "host {0}")
    @ValueSource(strings = {"127.0.0.1", "localhost"})
    void certificateForAnotherHostIsRejected(String host) {
        server = TlsTestServer.https(pki.serverForOtherHost);
        CrateTls tls = CrateTls.builder().caCertificate(pki.certificatesPem("ca.pem", pki.ca.certificate())).build();

        expectHandshakeFailure(tls, server.url("https", host), "No subject alternative");
    }

    @Test
    void expiredCertificateIsRejected() {
        server = TlsTestServer.https(pki.expiredServer);
        CrateTls tls = CrateTls.builder().caCertificate(pki.certificatesPem("ca.pem", pki.ca.certificate())).build();

        StepVerifier.create(DirectClient.selectOne(tls, server.url("https", "127.0.0.1")))
            .expectErrorSatisfies(error -> {
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

        assertThat(tls.verifyHostname()).isFalse();
        assertQueryAnswered(tls, host);
    }

    // ---- client certificates (mutual TLS)

    interface KeyFile {
        CrateTls.Builder configure(TestPki pki, CrateTls.Builder builder);
    }

    static Stream<Arguments> clientKeys() {
        return Stream.of(
            Arguments.of("RSA PKCS#8", (KeyFile) (p, b) -> pem(p, b, p.rsaClient, p.pkcs8Key("rsa-pkcs8.key", p.rsaClient.key()), false)),
            Arguments.of("RSA PKCS#1", (KeyFile) (p, b) -> pem(p, b, p.rsaClient, p.traditionalKey("rsa-pkcs1.key", p.rsaClient.key()), false)),
            Arguments.of("RSA encrypted PKCS#8", (KeyFile) (p, b) -> pem(p, b, p.rsaClient,
                p.encryptedPkcs8Key("rsa-enc-pkcs8.key", p.rsaClient.key(), TestPki.PASSWORD), true)),
            Arguments.of("RSA legacy encrypted PEM", (KeyFile) (p, b) -> pem(p, b, p.rsaClient,
                p.legacyEncryptedKey("rsa-legacy.key", p.rsaClient.key(), TestPki.PASSWORD), true)),
            Arguments.of("EC PKCS#8", (KeyFile) (p, b) -> pem(p, b, p.ecClient, p.pkcs8Key("ec-pkcs8.key", p.ecClient.key()), false)),
            Arguments.of("EC SEC1", (KeyFile) (p, b) -> pem(p, b, p.ecClient, p.traditionalKey("ec-sec1.key", p.ecClient.key()), false)),
            Arguments.of("EC encrypted PKCS#8", (KeyFile) (p, b) -> pem(p, b, p.ecClient,
                p.encryptedPkcs8Key("ec-enc-pkcs8.key", p.ecClient.key(), TestPki.PASSWORD), true)),
            Arguments.of("EC legacy encrypted PEM", (KeyFile) (p, b) -> pem(p, b, p.ecClient,
                p.legacyEncryptedKey("ec-legacy.key", p.ecClient.key(), TestPki.PASSWORD), true)),
            Arguments.of("PKCS#12 key store", (KeyFile) (p, b) -> b.keyStore(
                p.keyStore("client.p12", "PKCS12", TestPki.PASSWORD, TestPki.PASSWORD, p.rsaClient), TestPki.PASSWORD.toCharArray())),
            Arguments.of("JKS key store", (KeyFile) (p, b) -> b.keyStore(
                p.keyStore("client.jks", "JKS", TestPki.PASSWORD, TestPki.PASSWORD, p.ecClient), TestPki.PASSWORD.toCharArray())));
    }

    private static CrateTls.Builder pem(TestPki p, CrateTls.Builder builder, TestPki.Issued client, Path key, boolean encrypted) {
        Path certificate = p.certificatesPem("client-" + key.getFileName() + ".pem", client.certificate());
        builder.clientCertificate(certificate, key);
        return encrypted ? builder.clientKeyPassword(TestPki.PASSWORD.toCharArray()) : builder;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientKeys")
    void mutualTlsAcceptsTheClientCertificate(String name, KeyFile keyFile) {
        server = TlsTestServer.mutualTls(pki.server, pki.ca.certificate());
        CrateTls tls = keyFile.configure(pki, CrateTls.builder().caCertificate(pki.certificatesPem("ca.pem", pki.ca.certificate())))
            .build();

        StepVerifier.create(DirectClient.selectOne(tls, server.url("https", "127.0.0.1")))
            .expectNext("{\"cols\":[\"u\"],\"col_types\":[4],\"rows\":[[\"crate\"]],\"rowcount\":1,\"duration\":7.619018}")
            .expectComplete()
            .verify(TIMEOUT);
        assertThat(server.clientSubjects()).containsExactly("CN=" + TestPki.CLIENT_USER);
    }

    @Test
    void mutualTlsRejectsAClientWithoutCertificate() {
        server = TlsTestServer.mutualTls(pki.server, pki.ca.certificate());
        CrateTls tls = CrateTls.builder().caCertificate(pki.certificatesPem("ca.pem", pki.ca.certificate())).build();

        // TLS 1.3: the client's handshake is over before the server checks for a certificate; the server then
        // closes the connection, so the client sees a closed connection (or the alert) instead of a response.
        StepVerifier.create(DirectClient.selectOne(tls, server.url("https", "127.0.0.1")))
            .expectErrorSatisfies(error -> assertThat(
                    Failures.contains(error, SSLException.class) || Failures.contains(error, PrematureCloseException.class))
                .as(Failures.messages(error)).isTrue())
            .verify(TIMEOUT);
        assertThat(server.requestBodies()).isEmpty();
    }

    @Test
    void mutualTlsRejectsAClientWithoutCertificateInTheTls12Handshake() {
        server = TlsTestServer.https(pki.server, builder -> builder.protocols("TLSv1.2")
            .trustManager(pki.ca.certificate()).clientAuth(ClientAuth.REQUIRE));
        CrateTls tls = CrateTls.builder().caCertificate(pki.certificatesPem("ca.pem", pki.ca.certificate())).build();

        StepVerifier.create(DirectClient.selectOne(tls, server.url("https", "127.0.0.1")))
            .expectErrorSatisfies(error ->
                assertThat(Failures.contains(error, SSLHandshakeException.class)).as(Failures.messages(error)).isTrue())
            .verify(TIMEOUT);
        assertThat(server.requestBodies()).isEmpty();
    }

    @Test
    void mutualTlsRejectsACertificateOfAnotherCa() {
        server = TlsTestServer.mutualTls(pki.server, pki.ca.certificate());
        TestPki.Issued stranger = TestPki.issue(pki.unknownCa, TestPki.ec(), TestPki.CLIENT_USER, Instant.now(),
            Instant.now().plus(Duration.ofDays(1)), KeyPurposeId.id_kp_clientAuth);
        CrateTls tls = CrateTls.builder()
            .caCertificate(pki.certificatesPem("ca.pem", pki.ca.certificate()))
            .clientCertificate(pki.certificatesPem("stranger.pem", stranger.certificate()), pki.pkcs8Key("stranger.key", stranger.key()))
            .build();

        StepVerifier.create(DirectClient.selectOne(tls, server.url("https", "127.0.0.1")))
            .expectErrorSatisfies(error -> assertThat(
                    Failures.contains(error, SSLException.class) || Failures.contains(error, PrematureCloseException.class))
                .as(Failures.messages(error)).isTrue())
            .verify(TIMEOUT);
        assertThat(server.requestBodies()).isEmpty();
    }

    // ---- protocol versions

    @ParameterizedTest(name = "relaxMinimumVersion {0}")
    @ValueSource(booleans = {false, true})
    void tls12OnlyServerIsReachedEitherWay(boolean relax) {
        server = TlsTestServer.https(pki.server, builder -> builder.protocols("TLSv1.2"));
        CrateTls tls = CrateTls.builder()
            .caCertificate(pki.certificatesPem("ca.pem", pki.ca.certificate()))
            .relaxMinimumVersion(relax)
            .build();

        assertQueryAnswered(tls, "127.0.0.1");
        assertThat(server.protocols()).containsExactly("TLSv1.2");
    }

    @Test
    void defaultNegotiatesTls13WithAModernServer() {
        server = TlsTestServer.https(pki.server);
        CrateTls tls = CrateTls.builder().caCertificate(pki.certificatesPem("ca.pem", pki.ca.certificate())).build();

        assertQueryAnswered(tls, "127.0.0.1");
        assertThat(server.protocols()).containsExactly("TLSv1.3");
    }

    @Test
    void enginesOfferTls11AndTls10OnlyWhenRelaxed() {
        CrateTls strict = CrateTls.builder().build();
        CrateTls relaxed = CrateTls.builder().relaxMinimumVersion(true).build();

        assertThat(enabledProtocols(strict)).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThat(enabledProtocols(relaxed)).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1");
        assertThat(strict.protocols()).isEqualTo(CrateTls.DEFAULT_PROTOCOLS);
        assertThat(relaxed.protocols()).isEqualTo(CrateTls.RELAXED_PROTOCOLS);
        assertThat(relaxed.relaxMinimumVersion()).isTrue();
        assertThat(strict.relaxMinimumVersion()).isFalse();
    }

    private static List<String> enabledProtocols(CrateTls tls) {
        SSLEngine engine = tls.sslContext().newEngine(ByteBufAllocator.DEFAULT);
        try {
            return List.of(engine.getEnabledProtocols());
        } finally {
            engine.closeOutbound();
        }
    }

    private void expectHandshakeFailure(CrateTls tls, String url, String reason) {
        StepVerifier.create(DirectClient.selectOne(tls, url))
            .expectErrorSatisfies(error -> {
                assertThat(Failures.contains(error, SSLHandshakeException.class)).as(Failures.messages(error)).isTrue();
                assertThat(Failures.messages(error)).contains(reason);
            })
            .verify(TIMEOUT);
        assertThat(server.requestBodies()).isEmpty();
    }

    /** The handshake succeeds with {@code tls} and the server's answer to the query arrives. */
    private void assertQueryAnswered(CrateTls tls, String host) {
        StepVerifier.create(DirectClient.selectOne(tls, server.url("https", host)))
            .expectNext(TlsTestServer.SELECT_1)
            .expectComplete()
            .verify(TIMEOUT);
    }
}
