package dev.cratereactive.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues certificates at test time with BouncyCastle and writes them in every format {@link CrateTls} reads. No key
 * material lives in the repository. Generating keys is slow (RSA especially), so a test class creates one
 * {@code TestPki} in {@code @BeforeAll}.
 */
final class TestPki {

    /** The password of every encrypted key and store written here. */
    static final String PASSWORD = "s3cret-Pa55";
    /** The CN of the client certificates: CrateDB's {@code cert} authentication takes it as the user name. */
    static final String CLIENT_USER = "crate";

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    /** A key pair with its certificate, issued for {@code name} (the CN). */
    record Issued(KeyPair keyPair, X509Certificate certificate, String name) {
        PrivateKey key() {
            return keyPair.getPrivate();
        }
    }

    final Path dir;
    final Issued ca;
    final Issued unknownCa;
    final Issued server;
    final Issued serverForOtherHost;
    final Issued expiredServer;
    final Issued serverOfUnknownCa;
    final Issued rsaClient;
    final Issued ecClient;

    TestPki(Path dir) {
        this.dir = dir;
        Instant now = Instant.now();
        ca = selfSignedCa("crate-reactive test CA", rsa());
        unknownCa = selfSignedCa("unknown test CA", ec());
        server = issue(ca, ec(), "localhost", now, now.plus(Duration.ofDays(1)), KeyPurposeId.id_kp_serverAuth,
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        serverForOtherHost = issue(ca, ec(), "db.example.invalid", now, now.plus(Duration.ofDays(1)), KeyPurposeId.id_kp_serverAuth,
            new GeneralName(GeneralName.dNSName, "db.example.invalid"), new GeneralName(GeneralName.iPAddress, "192.0.2.7"));
        expiredServer = issue(ca, ec(), "localhost", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)),
            KeyPurposeId.id_kp_serverAuth,
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        serverOfUnknownCa = issue(unknownCa, ec(), "localhost", now, now.plus(Duration.ofDays(1)), KeyPurposeId.id_kp_serverAuth,
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        rsaClient = issue(ca, rsa(), CLIENT_USER, now, now.plus(Duration.ofDays(1)), KeyPurposeId.id_kp_clientAuth);
        ecClient = issue(ca, ec(), CLIENT_USER, now, now.plus(Duration.ofDays(1)), KeyPurposeId.id_kp_clientAuth);
    }

    // ---- keys and certificates

    static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ec() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Issued selfSignedCa(String cn, KeyPair keys) {
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=" + cn);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), name, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
            return new Issued(keys, sign(builder, keys.getPrivate()), cn);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Issued issue(Issued issuer, KeyPair keys, String cn, Instant notBefore, Instant notAfter, KeyPurposeId purpose,
            GeneralName... subjectAltNames) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer.certificate(), serial(),
                Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + cn), keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()))
                .addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(issuer.certificate()));
            if (subjectAltNames.length > 0) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(subjectAltNames));
            }
            return new Issued(keys, sign(builder, issuer.key()), cn);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) throws GeneralSecurityException {
        try {
            String algorithm = signingKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    // ---- files

    /** Writes certificates as one PEM bundle. */
    Path certificatesPem(String fileName, X509Certificate... certificates) {
        return writePem(fileName, (Object[]) certificates);
    }

    /** Unencrypted PKCS#8: {@code BEGIN PRIVATE KEY}. */
    Path pkcs8Key(String fileName, PrivateKey key) {
        try {
            return writePem(fileName, new JcaPKCS8Generator(key, null).generate());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** OpenSSL's traditional format: PKCS#1 {@code BEGIN RSA PRIVATE KEY} or SEC1 {@code BEGIN EC PRIVATE KEY}. */
    Path traditionalKey(String fileName, PrivateKey key) {
        return writePem(fileName, opensslStyle(key));
    }

    /**
     * The JDK encodes an EC key's curve only in the PKCS#8 wrapper, so its SEC1 form would lack the curve. OpenSSL
     * writes SEC1 with the curve inside, as BouncyCastle's own EC keys do: re-encode EC keys with BouncyCastle.
     */
    private static PrivateKey opensslStyle(PrivateKey key) {
        if (!key.getAlgorithm().equals("EC")) {
            return key;
        }
        try {
            return KeyFactory.getInstance("EC", BC).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Encrypted PKCS#8 (PBES2, AES-256-CBC): {@code BEGIN ENCRYPTED PRIVATE KEY}. */
    Path encryptedPkcs8Key(String fileName, PrivateKey key, String password) {
        try {
            return writePem(fileName, new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setProvider(BC).setRandom(new SecureRandom()).setPassword(password.toCharArray()).build()).generate());
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Legacy OpenSSL encryption of the traditional format: {@code Proc-Type: 4,ENCRYPTED} and {@code DEK-Info}. */
    Path legacyEncryptedKey(String fileName, PrivateKey key, String password) {
        Path file = dir.resolve(fileName);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(opensslStyle(key), new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(BC).setSecureRandom(new SecureRandom())
                .build(password.toCharArray()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }

    Path writePem(String fileName, Object... objects) {
        Path file = dir.resolve(fileName);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (Object object : objects) {
                pem.writeObject(object);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }

    Path text(String fileName, String content) {
        try {
            return Files.writeString(dir.resolve(fileName), content, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A trust store ("PKCS12" or "JKS") with one trusted-certificate entry per certificate. */
    Path trustStore(String fileName, String type, String password, X509Certificate... certificates) {
        try {
            KeyStore store = emptyStore(type);
            for (int i = 0; i < certificates.length; i++) {
                store.setCertificateEntry("ca-" + i, certificates[i]);
            }
            return save(fileName, store, password);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key store ("PKCS12" or "JKS") with the key entry of {@code issued}, protected by {@code keyPassword}. */
    Path keyStore(String fileName, String type, String storePassword, String keyPassword, Issued issued) {
        try {
            KeyStore store = emptyStore(type);
            store.setKeyEntry("client", issued.key(), keyPassword.toCharArray(), new Certificate[] {issued.certificate(), ca.certificate()});
            return save(fileName, store, storePassword);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore emptyStore(String type) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return store;
    }

    private Path save(String fileName, KeyStore store, String password) throws GeneralSecurityException {
        Path file = dir.resolve(fileName);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }
}
