package dev.cratereactive.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateConnectionException;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;
import reactor.test.StepVerifier;

/**
 * One matrix of TLS cases: client material x in-process server x expected outcome, each run at the layers that
 * matter. {@link Layer#NETTY} handshakes through Reactor Netty's {@code HttpClient} configured as core's transport
 * does ({@link DirectClient}), without a CrateClient; {@link Layer#CLIENT} goes end to end through
 * {@code CrateClient.builder().nodes("https://...").tls(crateTls)}, where a rejected handshake surfaces as
 * {@link CrateConnectionException} with the TLS failure in its cause chain. Certificate and key parsing is
 * {@link CrateTls}'s concern, so every key format runs at the Netty layer and one of each family end to end.
 */
class CrateTlsMatrixTest extends TlsServerTestSupport {

    /** Where a case runs. */
    enum Layer { NETTY, CLIENT }

    /** What the client sees. */
    enum Outcome {
        /** The handshake succeeds and the answer arrives. */
        ANSWERED,
        /** The handshake fails on the client with {@link SSLHandshakeException} whose messages contain the reason. */
        HANDSHAKE_FAILS,
        /** As {@link #HANDSHAKE_FAILS}, and the chain holds {@link CertificateExpiredException}. */
        EXPIRED,
        /**
         * TLS 1.3: the client's handshake is over before the server checks for a client certificate; the server
         * then closes the connection, so the client sees a closed connection (or the alert), no response.
         */
        REJECTED_AFTER_HANDSHAKE
    }

    /**
     * One case.
     *
     * @param name shown in the test name
     * @param material the client's TLS settings
     * @param server the server (started per run)
     * @param host the host name the client connects to
     * @param outcome what the client sees
     * @param reason for failures, a text of the handshake failure's messages ("" for any)
     * @param protocol for answers, the protocol the server negotiated; {@code null} to not check
     * @param layers where the case runs
     */
    record Case(String name, Function<TestPki, CrateTls> material, Function<TestPki, TlsTestServer> server, String host,
                Outcome outcome, String reason, String protocol, List<Layer> layers) {

        boolean mutual() {
            return name.startsWith("mTLS");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Layer> BOTH = List.of(Layer.NETTY, Layer.CLIENT);
    private static final List<Layer> NETTY_ONLY = List.of(Layer.NETTY);

    private CrateClient client;

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    static Stream<Case> cases() {
        Function<TestPki, TlsTestServer> server = p -> TlsTestServer.https(p.server);
        Function<TestPki, TlsTestServer> tls12Server = p -> TlsTestServer.https(p.server, b -> b.protocols("TLSv1.2"));
        Function<TestPki, TlsTestServer> mutual = p -> TlsTestServer.mutualTls(p.server, p.ca.certificate());
        Function<TestPki, TlsTestServer> mutualTls12 = p -> TlsTestServer.https(p.server, b -> b.protocols("TLSv1.2")
            .trustManager(p.ca.certificate()).clientAuth(ClientAuth.REQUIRE));
        Function<TestPki, CrateTls> ca = p -> caOnly(p).build();
        Function<TestPki, CrateTls> bundle = p -> CrateTls.builder()
            .caCertificate(p.certificatesPem("bundle.pem", p.unknownCa.certificate(), p.ca.certificate())).build();
        Function<TestPki, CrateTls> noVerification = p -> CrateTls.builder().verifyServerCertificate(false).build();
        Stream.Builder<Case> cases = Stream.builder();

        // ---- server verification
        cases.add(new Case("CA bundle of two, by IP", bundle, server, "127.0.0.1", Outcome.ANSWERED, null, "TLSv1.3", BOTH));
        cases.add(new Case("CA bundle of two, by name", bundle, server, "localhost", Outcome.ANSWERED, null, "TLSv1.3", BOTH));
        cases.add(new Case("CA certificate: TLS 1.3 with a modern server", ca, server, "127.0.0.1", Outcome.ANSWERED, null,
            "TLSv1.3", BOTH));
        for (String type : List.of("PKCS12", "JKS")) {
            cases.add(new Case("trust store " + type, p -> CrateTls.builder()
                .trustStore(p.trustStore("trust-" + type, type, TestPki.PASSWORD, p.ca.certificate()), TestPki.PASSWORD.toCharArray())
                .build(), server, "127.0.0.1", Outcome.ANSWERED, null, "TLSv1.3", BOTH));
        }
        cases.add(new Case("certificate of an unknown CA", ca, p -> TlsTestServer.https(p.serverOfUnknownCa), "127.0.0.1",
            Outcome.HANDSHAKE_FAILS, "PKIX path building failed", null, BOTH));
        cases.add(new Case("JVM default trust, private CA", p -> CrateTls.builder().build(), server, "127.0.0.1",
            Outcome.HANDSHAKE_FAILS, "PKIX path building failed", null, BOTH));
        for (String host : List.of("127.0.0.1", "localhost")) {
            cases.add(new Case("certificate for another host, connecting to " + host, ca,
                p -> TlsTestServer.https(p.serverForOtherHost), host, Outcome.HANDSHAKE_FAILS, "No subject alternative",
                null, BOTH));
        }
        cases.add(new Case("expired certificate", ca, p -> TlsTestServer.https(p.expiredServer), "127.0.0.1",
            Outcome.EXPIRED, "", null, BOTH));
        // verification off accepts any certificate and host
        cases.add(new Case("verification off, unknown CA", noVerification, p -> TlsTestServer.https(p.serverOfUnknownCa),
            "127.0.0.1", Outcome.ANSWERED, null, "TLSv1.3", BOTH));
        cases.add(new Case("verification off, other host, by IP", noVerification,
            p -> TlsTestServer.https(p.serverForOtherHost), "127.0.0.1", Outcome.ANSWERED, null, "TLSv1.3", BOTH));
        cases.add(new Case("verification off, other host, by name", noVerification,
            p -> TlsTestServer.https(p.serverForOtherHost), "localhost", Outcome.ANSWERED, null, "TLSv1.3", BOTH));
        cases.add(new Case("verification off, expired", noVerification, p -> TlsTestServer.https(p.expiredServer),
            "127.0.0.1", Outcome.ANSWERED, null, "TLSv1.3", BOTH));

        // ---- client certificates (mutual TLS): every key format here, one of each family end to end
        cases.add(mutual("RSA PKCS#8", p -> pem(p, p.rsaClient, p.pkcs8Key("rsa-pkcs8.key", p.rsaClient.key()), false), NETTY_ONLY));
        cases.add(mutual("RSA PKCS#1", p -> pem(p, p.rsaClient, p.traditionalKey("rsa-pkcs1.key", p.rsaClient.key()), false), BOTH));
        cases.add(mutual("RSA encrypted PKCS#8", p -> pem(p, p.rsaClient,
            p.encryptedPkcs8Key("rsa-enc-pkcs8.key", p.rsaClient.key(), TestPki.PASSWORD), true), NETTY_ONLY));
        cases.add(mutual("RSA legacy encrypted PEM", p -> pem(p, p.rsaClient,
            p.legacyEncryptedKey("rsa-legacy.key", p.rsaClient.key(), TestPki.PASSWORD), true), NETTY_ONLY));
        cases.add(mutual("EC PKCS#8", p -> pem(p, p.ecClient, p.pkcs8Key("ec-pkcs8.key", p.ecClient.key()), false), NETTY_ONLY));
        cases.add(mutual("EC SEC1", p -> pem(p, p.ecClient, p.traditionalKey("ec-sec1.key", p.ecClient.key()), false), NETTY_ONLY));
        cases.add(mutual("EC encrypted PKCS#8", p -> pem(p, p.ecClient,
            p.encryptedPkcs8Key("ec-enc-pkcs8.key", p.ecClient.key(), TestPki.PASSWORD), true), BOTH));
        cases.add(mutual("EC legacy encrypted PEM", p -> pem(p, p.ecClient,
            p.legacyEncryptedKey("ec-legacy.key", p.ecClient.key(), TestPki.PASSWORD), true), NETTY_ONLY));
        cases.add(mutual("PKCS#12 key store", p -> caOnly(p).keyStore(
            p.keyStore("client.p12", "PKCS12", TestPki.PASSWORD, TestPki.PASSWORD, p.rsaClient), TestPki.PASSWORD.toCharArray()),
            BOTH));
        cases.add(mutual("JKS key store", p -> caOnly(p).keyStore(
            p.keyStore("client.jks", "JKS", TestPki.PASSWORD, TestPki.PASSWORD, p.ecClient), TestPki.PASSWORD.toCharArray()),
            NETTY_ONLY));
        cases.add(new Case("mutual-TLS server, client without certificate (TLS 1.3)", ca, mutual, "127.0.0.1",
            Outcome.REJECTED_AFTER_HANDSHAKE, null, null, BOTH));
        cases.add(new Case("mutual-TLS server, client without certificate (TLS 1.2)", ca, mutualTls12, "127.0.0.1",
            Outcome.HANDSHAKE_FAILS, "", null, BOTH));
        cases.add(new Case("mutual-TLS server, client certificate of another CA", p -> {
            TestPki.Issued stranger = TestPki.issue(p.unknownCa, TestPki.ec(), TestPki.CLIENT_USER, Instant.now(),
                Instant.now().plus(Duration.ofDays(1)), KeyPurposeId.id_kp_clientAuth);
            return caOnly(p)
                .clientCertificate(p.certificatesPem("stranger.pem", stranger.certificate()), p.pkcs8Key("stranger.key", stranger.key()))
                .build();
        }, mutual, "127.0.0.1", Outcome.REJECTED_AFTER_HANDSHAKE, null, null, NETTY_ONLY));

        // ---- protocol versions
        cases.add(new Case("TLS 1.2-only server, strict minimum", ca, tls12Server, "127.0.0.1", Outcome.ANSWERED, null,
            "TLSv1.2", BOTH));
        cases.add(new Case("TLS 1.2-only server, relaxed minimum", p -> caOnly(p).relaxMinimumVersion(true).build(),
            tls12Server, "127.0.0.1", Outcome.ANSWERED, null, "TLSv1.2", BOTH));
        return cases.build();
    }

    static Stream<Case> nettyCases() {
        return cases().filter(c -> c.layers().contains(Layer.NETTY));
    }

    static Stream<Case> clientCases() {
        return cases().filter(c -> c.layers().contains(Layer.CLIENT));
    }

    private static Case mutual(String keyFormat, Function<TestPki, CrateTls.Builder> material, List<Layer> layers) {
        return new Case("mTLS " + keyFormat, p -> material.apply(p).build(),
            p -> TlsTestServer.mutualTls(p.server, p.ca.certificate()), "127.0.0.1", Outcome.ANSWERED, null, null, layers);
    }

    private static CrateTls.Builder caOnly(TestPki p) {
        return CrateTls.builder().caCertificate(p.certificatesPem("ca.pem", p.ca.certificate()));
    }

    private static CrateTls.Builder pem(TestPki p, TestPki.Issued client, Path key, boolean encrypted) {
        Path certificate = p.certificatesPem("client-" + key.getFileName() + ".pem", client.certificate());
        CrateTls.Builder builder = caOnly(p).clientCertificate(certificate, key);
        return encrypted ? builder.clientKeyPassword(TestPki.PASSWORD.toCharArray()) : builder;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nettyCases")
    void nettyLayer(Case c) {
        server = c.server().apply(pki);
        CrateTls tls = c.material().apply(pki);
        String expectedBody = c.mutual()
            ? "{\"cols\":[\"u\"],\"col_types\":[4],\"rows\":[[\"" + TestPki.CLIENT_USER + "\"]],\"rowcount\":1,\"duration\":7.619018}"
            : TlsTestServer.SELECT_1;
        verify(c, Layer.NETTY, DirectClient.selectOne(tls, server.url("https", c.host())), expectedBody);
        if (c.outcome() == Outcome.ANSWERED) {
            assertThat(server.requestBodies()).containsExactly("{\"stmt\":\"SELECT 1 AS x\"}");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientCases")
    void clientLayer(Case c) {
        server = c.server().apply(pki);
        CrateTls tls = c.material().apply(pki);
        client = CrateClient.builder().nodes(server.url("https", c.host())).tls(tls).maxRetries(0)
            .connectTimeout(Duration.ofSeconds(5)).build();
        Mono<Object> answer = c.mutual()
            ? client.sql("SELECT current_user AS u").map(row -> row.get("u")).single()
            : client.sql("SELECT 1 AS x").map(row -> row.get("x")).single();
        verify(c, Layer.CLIENT, answer, c.mutual() ? TestPki.CLIENT_USER : 1);
    }

    private void verify(Case c, Layer layer, Mono<? extends Object> answer, Object expected) {
        boolean endToEnd = layer == Layer.CLIENT;
        if (c.outcome() == Outcome.ANSWERED) {
            StepVerifier.create(answer.cast(Object.class)).expectNext(expected).expectComplete().verify(TIMEOUT);
            if (c.protocol() != null) {
                assertThat(server.protocols()).containsExactly(c.protocol());
            }
            assertThat(server.clientSubjects())
                .containsExactly(c.mutual() ? "CN=" + TestPki.CLIENT_USER : "none");
            return;
        }
        StepVerifier.create(answer)
            .expectErrorSatisfies(error -> {
                if (endToEnd) {
                    assertThat(error).isInstanceOf(CrateConnectionException.class);
                }
                if (c.outcome() == Outcome.REJECTED_AFTER_HANDSHAKE) {
                    if (!endToEnd) {
                        assertThat(Failures.contains(error, SSLException.class)
                            || Failures.contains(error, PrematureCloseException.class)).as(Failures.messages(error)).isTrue();
                    }
                    return;
                }
                assertThat(Failures.contains(error, SSLHandshakeException.class)).as(Failures.messages(error)).isTrue();
                assertThat(Failures.messages(error)).contains(c.reason());
                if (c.outcome() == Outcome.EXPIRED) {
                    assertThat(Failures.contains(error, CertificateExpiredException.class)).as(Failures.messages(error)).isTrue();
                }
            })
            .verify(TIMEOUT);
        assertThat(server.requestBodies()).isEmpty();
    }

    // ---- outside the matrix

    @Test
    void httpNodeIgnoresTheTlsSettings() {
        server = TlsTestServer.plainHttp();
        CrateTls tls = caOnly(pki)
            .clientCertificate(pki.certificatesPem("ignored.pem", pki.rsaClient.certificate()), pki.pkcs8Key("ignored.key", pki.rsaClient.key()))
            .build();
        client = CrateClient.builder().nodes(server.url("http", "127.0.0.1")).tls(tls).maxRetries(0).build();

        StepVerifier.create(client.sql("SELECT 1 AS x").map(row -> row.get("x")))
            .expectNext(1)
            .expectComplete()
            .verify(TIMEOUT);
        assertThat(server.protocols()).containsExactly("none");
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
}
