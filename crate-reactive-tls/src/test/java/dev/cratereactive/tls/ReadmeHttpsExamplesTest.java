package dev.cratereactive.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The code shown in the README's HTTPS section, run against in-process HTTPS servers. Keep the two in step.
 */
class ReadmeHttpsExamplesTest extends TlsServerTestSupport {

    @Test
    void mutualTlsWithPemFiles() {
        server = TlsTestServer.mutualTls(pki.server, pki.ca.certificate());
        String url = server.url("https", "localhost");
        Path caPem = pki.certificatesPem("ca.pem", pki.ca.certificate());
        Path clientPem = pki.certificatesPem("client.pem", pki.rsaClient.certificate());
        Path clientKey = pki.encryptedPkcs8Key("client.key", pki.rsaClient.key(), TestPki.PASSWORD);
        char[] keyPassword = TestPki.PASSWORD.toCharArray();

        // README: https
        CrateTls tls = CrateTls.builder()
            .caCertificate(caPem)                       // ca_cert: PEM bundle of the CAs to trust
            .clientCertificate(clientPem, clientKey)    // cert_file, key_file: CN = CrateDB user (HBA method "cert")
            .clientKeyPassword(keyPassword)             // only for an encrypted key
            .build();                                   // reads and checks every file; a bad one fails here, named

        CrateClient client = CrateClient.builder().nodes(url).tls(tls).build();
        // README: end

        try (client) {
            assertThat(tls.verifyHostname()).isTrue();
            // README: https-query
            String user = client.sql("SELECT current_user AS u").map(row -> row.get("u", String.class)).blockFirst(TIMEOUT);
            // README: end
            assertThat(user).isEqualTo(TestPki.CLIENT_USER);
        }
    }

    @Test
    void keyStoreAndTrustStore() {
        server = TlsTestServer.mutualTls(pki.server, pki.ca.certificate());
        String url = server.url("https", "127.0.0.1");
        Path truststoreP12 = pki.trustStore("truststore.p12", "PKCS12", TestPki.PASSWORD, pki.ca.certificate());
        Path clientJks = pki.keyStore("client.jks", "JKS", TestPki.PASSWORD, TestPki.PASSWORD, pki.ecClient);
        char[] storePassword = TestPki.PASSWORD.toCharArray();

        // README: stores
        CrateTls tls = CrateTls.builder()
            .trustStore(truststoreP12, storePassword)   // PKCS#12 or JKS, detected from the content
            .keyStore(clientJks, storePassword)         // the client key and its certificate
            .build();
        // README: end

        try (CrateClient client = CrateClient.builder().nodes(url).tls(tls).build()) {
            assertThat(client.sql("SELECT current_user AS u").map(row -> row.get("u", String.class)).blockFirst(TIMEOUT))
                .isEqualTo(TestPki.CLIENT_USER);
        }
    }

    @Test
    void verificationOffForATestCluster() {
        server = TlsTestServer.https(pki.serverForOtherHost);
        String url = server.url("https", "127.0.0.1");

        // README: insecure
        CrateTls insecure = CrateTls.builder()
            .verifyServerCertificate(false)             // verify_ssl_cert=False: any certificate, any host name; logs a WARN
            .build();
        // README: end

        try (CrateClient client = CrateClient.builder().nodes(url).tls(insecure).build()) {
            assertThat(insecure.verifyHostname()).isFalse();
            assertThat(client.sql("SELECT 1 AS x").map(row -> row.get("x", Integer.class)).blockFirst(TIMEOUT)).isEqualTo(1);
        }
    }
}
