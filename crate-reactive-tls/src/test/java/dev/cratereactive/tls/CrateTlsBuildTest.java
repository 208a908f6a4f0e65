package dev.cratereactive.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link CrateTls.Builder#build()} accepts and how it rejects bad material: every failure is an
 * {@link IllegalArgumentException} naming the option and the file, and never the password.
 */
class CrateTlsBuildTest {

    private static final String WRONG_PASSWORD = "not-the-Pa55word";

    @TempDir
    static Path dir;
    static TestPki pki;
    static Path caPem;
    static Path rsaClientPem;
    static Path rsaClientKey;

    @BeforeAll
    static void issueCertificates() {
        pki = new TestPki(dir);
        caPem = pki.certificatesPem("ca.pem", pki.ca.certificate());
        rsaClientPem = pki.certificatesPem("rsa-client.pem", pki.rsaClient.certificate());
        rsaClientKey = pki.pkcs8Key("rsa-client.key", pki.rsaClient.key());
    }

    // ---- defaults and accepted material

    @Test
    void defaultsTrustTheJvmAndVerifyEverything() {
        CrateTls tls = CrateTls.builder().build();

        assertThat(tls.verifyServerCertificate()).isTrue();
        assertThat(tls.verifyHostname()).isTrue();
        assertThat(tls.relaxMinimumVersion()).isFalse();
        assertThat(tls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(tls.sslContext().isClient()).isTrue();
        assertThat(tls.sslContext()).isSameAs(tls.sslContext());
        assertThat(tls).hasToString("CrateTls[trust=JVM default, verifyServerCertificate=true, relaxMinimumVersion=false, "
            + "protocols=[TLSv1.3, TLSv1.2]]");
    }

    @Test
    void certificateAndKeyMayShareOneFile() throws IOException {
        Path combined = dir.resolve("combined.pem");
        Files.writeString(combined, Files.readString(rsaClientPem) + Files.readString(rsaClientKey));

        CrateTls tls = CrateTls.builder().clientCertificate(combined, combined).build();

        assertThat(tls.toString()).contains("clientCertificate=" + combined, "clientKey=" + combined);
    }

    @Test
    void ecKeyWithCurveParametersBlockIsRead() throws IOException {
        // `openssl ecparam -genkey` writes an "EC PARAMETERS" block before the key
        Path key = pki.traditionalKey("ec-with-params.key", pki.ecClient.key());
        Path withParameters = dir.resolve("ec-params-first.key");
        Files.writeString(withParameters, "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
            + Files.readString(key));

        CrateTls tls = CrateTls.builder()
            .clientCertificate(pki.certificatesPem("ec-client.pem", pki.ecClient.certificate()), withParameters)
            .build();

        assertThat(tls.sslContext().isClient()).isTrue();
    }

    @Test
    void passwordForAnUnencryptedKeyIsIgnored() {
        CrateTls tls = CrateTls.builder().clientCertificate(rsaClientPem, rsaClientKey).clientKeyPassword("unused".toCharArray()).build();

        assertThat(tls.sslContext().isClient()).isTrue();
    }

    @Test
    void passwordsAreCopiedSoCallersMayClearTheirArrays() {
        Path key = pki.encryptedPkcs8Key("copied.key", pki.rsaClient.key(), TestPki.PASSWORD);
        char[] password = TestPki.PASSWORD.toCharArray();
        CrateTls.Builder builder = CrateTls.builder().clientCertificate(rsaClientPem, key).clientKeyPassword(password);
        Arrays.fill(password, '\0');

        assertThat(builder.build().sslContext().isClient()).isTrue();
    }

    @Test
    void keyStoreKeyWithItsOwnPasswordNeedsClientKeyPassword() {
        Path store = pki.keyStore("own-key-password.jks", "JKS", TestPki.PASSWORD, "key-Pa55", pki.rsaClient);

        expectRejected(CrateTls.builder().keyStore(store, TestPki.PASSWORD.toCharArray()), "keyStore", store)
            .hasMessageContaining("does not open with the store password; set clientKeyPassword(...)");
        CrateTls tls = CrateTls.builder().keyStore(store, TestPki.PASSWORD.toCharArray()).clientKeyPassword("key-Pa55".toCharArray()).build();
        assertThat(tls.toString()).contains("keyStore=" + store, "keyStorePassword=***", "clientKeyPassword=***");
    }

    // ---- files that are not there or not what they should be

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("no-such-ca.pem");

        expectRejected(CrateTls.builder().caCertificate(missing), "caCertificate", missing).hasMessageContaining("does not exist");
    }

    @Test
    void directoryIsNotAFile() {
        expectRejected(CrateTls.builder().trustStore(dir, new char[0]), "trustStore", dir).hasMessageContaining("is a directory");
    }

    @Test
    void unreadableFileIsNamed() throws IOException {
        Path locked = Files.copy(caPem, dir.resolve("locked.pem"));
        if (!locked.toFile().setReadable(false, false) || Files.isReadable(locked)) {
            return; // running as root: permissions are not enforced
        }
        expectRejected(CrateTls.builder().caCertificate(locked), "caCertificate", locked).hasMessageContaining("not readable");
    }

    @Test
    void caFileWithoutCertificate() {
        Path notPem = pki.text("notes.txt", "this is not a certificate\n");

        expectRejected(CrateTls.builder().caCertificate(notPem), "caCertificate", notPem)
            .hasMessageContaining("holds no PEM certificate");
    }

    @Test
    void caFileWithOnlyAKey() {
        expectRejected(CrateTls.builder().caCertificate(rsaClientKey), "caCertificate", rsaClientKey)
            .hasMessageContaining("holds no PEM certificate");
    }

    @Test
    void caFileThatIsABinaryStore() {
        Path store = pki.trustStore("binary-ca.p12", "PKCS12", TestPki.PASSWORD, pki.ca.certificate());

        expectRejected(CrateTls.builder().caCertificate(store), "caCertificate", store).hasMessageContaining("holds no PEM certificate");
    }

    @Test
    void damagedPemBlock() {
        Path damaged = pki.text("damaged.pem", "-----BEGIN CERTIFICATE-----\nMIIB!!!not*base64\n-----END CERTIFICATE-----\n");

        expectRejected(CrateTls.builder().caCertificate(damaged), "caCertificate", damaged);
    }

    @Test
    void clientCertificateFileWithoutCertificate() {
        expectRejected(CrateTls.builder().clientCertificate(rsaClientKey, rsaClientKey), "clientCertificate", rsaClientKey)
            .hasMessageContaining("certificate file").hasMessageContaining("holds no PEM certificate");
    }

    @Test
    void keyFileWithoutKey() {
        expectRejected(CrateTls.builder().clientCertificate(rsaClientPem, caPem), "clientCertificate", caPem)
            .hasMessageContaining("key file").hasMessageContaining("holds no PEM private key");
    }

    @Test
    void missingKeyFile() {
        Path missing = dir.resolve("missing.key");

        expectRejected(CrateTls.builder().clientCertificate(rsaClientPem, missing), "clientCertificate", missing)
            .hasMessageContaining("does not exist");
    }

    // ---- keys that do not belong to the certificate

    @Test
    void rsaKeyOfAnotherCertificate() {
        Path otherKey = pki.pkcs8Key("other-rsa.key", TestPki.rsa().getPrivate());

        expectRejected(CrateTls.builder().clientCertificate(rsaClientPem, otherKey), "clientCertificate", otherKey)
            .hasMessageContaining("does not belong to the certificate in " + rsaClientPem);
    }

    @Test
    void ecKeyOfAnotherCertificate() {
        Path ecPem = pki.certificatesPem("ec-client-2.pem", pki.ecClient.certificate());
        Path otherKey = pki.traditionalKey("other-ec.key", TestPki.ec().getPrivate());

        expectRejected(CrateTls.builder().clientCertificate(ecPem, otherKey), "clientCertificate", otherKey)
            .hasMessageContaining("does not belong to the certificate in " + ecPem);
    }

    @Test
    void keyOfAnotherAlgorithm() {
        Path ecKey = pki.pkcs8Key("ec-for-rsa-cert.key", pki.ecClient.key());

        expectRejected(CrateTls.builder().clientCertificate(rsaClientPem, ecKey), "clientCertificate", ecKey)
            .hasMessageContaining("does not belong").hasMessageContaining("RSA").hasMessageContaining("EC");
    }

    // ---- passwords

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"encrypted PKCS#8", "legacy encrypted PEM"})
    void encryptedKeyWithoutPassword(String format) {
        Path key = encryptedKey(format);

        expectRejected(CrateTls.builder().clientCertificate(rsaClientPem, key), "clientCertificate", key)
            .hasMessageContaining("is encrypted; set clientKeyPassword");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"encrypted PKCS#8", "legacy encrypted PEM"})
    void encryptedKeyWithWrongPassword(String format) {
        Path key = encryptedKey(format);

        expectRejected(CrateTls.builder().clientCertificate(rsaClientPem, key).clientKeyPassword(WRONG_PASSWORD.toCharArray()),
            "clientCertificate", key)
            .hasMessageContaining("cannot be decrypted: wrong clientKeyPassword");
    }

    private static Path encryptedKey(String format) {
        return format.startsWith("legacy")
            ? pki.legacyEncryptedKey("legacy-" + format.hashCode() + ".key", pki.rsaClient.key(), TestPki.PASSWORD)
            : pki.encryptedPkcs8Key("pkcs8-" + format.hashCode() + ".key", pki.rsaClient.key(), TestPki.PASSWORD);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PKCS12", "JKS"})
    void trustStoreWithWrongPassword(String type) {
        Path store = pki.trustStore("wrong-pw-trust-" + type, type, TestPki.PASSWORD, pki.ca.certificate());

        expectRejected(CrateTls.builder().trustStore(store, WRONG_PASSWORD.toCharArray()), "trustStore", store)
            .hasMessageContaining("wrong password");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PKCS12", "JKS"})
    void keyStoreWithWrongPassword(String type) {
        Path store = pki.keyStore("wrong-pw-keys-" + type, type, TestPki.PASSWORD, TestPki.PASSWORD, pki.rsaClient);

        expectRejected(CrateTls.builder().keyStore(store, WRONG_PASSWORD.toCharArray()), "keyStore", store)
            .hasMessageContaining("wrong password");
    }

    // ---- stores with the wrong content

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PKCS12", "JKS"})
    void keyStoreWithoutKey(String type) {
        Path store = pki.trustStore("only-certs-" + type, type, TestPki.PASSWORD, pki.ca.certificate());

        expectRejected(CrateTls.builder().keyStore(store, TestPki.PASSWORD.toCharArray()), "keyStore", store)
            .hasMessageContaining("holds no private key entry");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PKCS12", "JKS"})
    void trustStoreWithOnlyKeys(String type) {
        Path store = pki.keyStore("only-keys-" + type, type, TestPki.PASSWORD, TestPki.PASSWORD, pki.rsaClient);

        expectRejected(CrateTls.builder().trustStore(store, TestPki.PASSWORD.toCharArray()), "trustStore", store)
            .hasMessageContaining("holds no trusted certificate entry").hasMessageContaining("use keyStore");
    }

    @Test
    void pemFileGivenAsStore() {
        expectRejected(CrateTls.builder().trustStore(caPem, TestPki.PASSWORD.toCharArray()), "trustStore", caPem)
            .hasMessageContaining("is a PEM file");
    }

    @Test
    void fileThatIsNoStore() {
        Path text = pki.text("not-a-store.bin", "hello");

        expectRejected(CrateTls.builder().keyStore(text, TestPki.PASSWORD.toCharArray()), "keyStore", text)
            .hasMessageContaining("neither a PKCS#12 nor a JKS");
    }

    @Test
    void emptyStoreFile() {
        Path empty = pki.text("empty.p12", "");

        expectRejected(CrateTls.builder().trustStore(empty, new char[0]), "trustStore", empty).hasMessageContaining("is empty");
    }

    // ---- options that exclude each other

    @Test
    void caCertificateAndTrustStoreExcludeEachOther() {
        Path store = pki.trustStore("exclusive.p12", "PKCS12", TestPki.PASSWORD, pki.ca.certificate());

        expectRejected(CrateTls.builder().caCertificate(caPem).trustStore(store, TestPki.PASSWORD.toCharArray()), "caCertificate", caPem)
            .hasMessageContaining("cannot be combined with trustStore");
    }

    @Test
    void clientCertificateAndKeyStoreExcludeEachOther() {
        Path store = pki.keyStore("exclusive-keys.p12", "PKCS12", TestPki.PASSWORD, TestPki.PASSWORD, pki.rsaClient);

        expectRejected(CrateTls.builder().clientCertificate(rsaClientPem, rsaClientKey).keyStore(store, TestPki.PASSWORD.toCharArray()),
            "clientCertificate", rsaClientPem)
            .hasMessageContaining("cannot be combined with keyStore");
    }

    @Test
    void clientKeyPasswordNeedsAKey() {
        assertThatThrownBy(() -> CrateTls.builder().clientKeyPassword(TestPki.PASSWORD.toCharArray()).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("clientKeyPassword:")
            .hasMessageContaining("needs clientCertificate(...) or keyStore(...)")
            .hasMessageNotContaining(TestPki.PASSWORD);
    }

    @Test
    void nullArgumentsFailAtOnce() {
        assertThatThrownBy(() -> CrateTls.builder().caCertificate(null)).isInstanceOf(NullPointerException.class)
            .hasMessage("caCertificate");
        assertThatThrownBy(() -> CrateTls.builder().trustStore(caPem, null)).isInstanceOf(NullPointerException.class)
            .hasMessage("trustStore password");
    }

    // ---- passwords never shown, verification off is loud

    @Test
    void toStringNeverShowsPasswords() {
        Path key = pki.encryptedPkcs8Key("shown.key", pki.rsaClient.key(), TestPki.PASSWORD);
        Path store = pki.trustStore("shown.p12", "PKCS12", TestPki.PASSWORD, pki.ca.certificate());
        CrateTls.Builder builder = CrateTls.builder()
            .trustStore(store, TestPki.PASSWORD.toCharArray())
            .clientCertificate(rsaClientPem, key)
            .clientKeyPassword(TestPki.PASSWORD.toCharArray());

        CrateTls tls = builder.build();

        assertThat(builder.toString()).startsWith("CrateTls.Builder[").doesNotContain(TestPki.PASSWORD).contains("***");
        assertThat(tls.toString()).startsWith("CrateTls[").doesNotContain(TestPki.PASSWORD)
            .contains("trustStore=" + store, "trustStorePassword=***", "clientCertificate=" + rsaClientPem, "clientKey=" + key,
                "clientKeyPassword=***");
    }

    @Test
    void verificationOffLogsOneWarningPerBuild() {
        String log = captureStandardError(() -> {
            CrateTls tls = CrateTls.builder().verifyServerCertificate(false).build();
            assertThat(tls.verifyHostname()).isFalse();
            assertThat(tls.verifyServerCertificate()).isFalse();
        });

        assertThat(log.lines().filter(line -> line.contains("WARN") && line.contains(CrateTls.class.getName())))
            .singleElement().asString().contains("verification is OFF", "verifyServerCertificate(false)");
    }

    @Test
    void verificationOnLogsNothing() {
        String log = captureStandardError(() -> CrateTls.builder().caCertificate(caPem).build());

        assertThat(log).doesNotContain(CrateTls.class.getName());
    }

    @Test
    void verificationOffStillChecksTheConfiguredFiles() {
        Path missing = dir.resolve("unused-but-missing.pem");

        expectRejected(CrateTls.builder().verifyServerCertificate(false).caCertificate(missing), "caCertificate", missing);
    }

    /** slf4j-simple writes to whatever {@link System#err} is at the time of the call. */
    private static String captureStandardError(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> expectRejected(CrateTls.Builder builder, String option, Path file) {
        return assertThatThrownBy(builder::build)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith(option + ":")
            .hasMessageContaining(file.toString())
            .hasMessageNotContaining(TestPki.PASSWORD)
            .hasMessageNotContaining(WRONG_PASSWORD);
    }
}
