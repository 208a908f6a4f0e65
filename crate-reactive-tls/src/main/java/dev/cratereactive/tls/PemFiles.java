package dev.cratereactive.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads certificates and private keys from PEM files with BouncyCastle. Every failure is an
 * {@link IllegalArgumentException} that names the option and the file; passwords never appear in messages.
 */
final class PemFiles {

    private PemFiles() {
    }

    /**
     * @return every certificate in the file, in file order (a leaf first, then its chain, for client certificates)
     */
    static List<X509Certificate> readCertificates(String option, String role, Path file) {
        List<Object> objects = readObjects(option, role, file);
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object object : objects) {
            X509CertificateHolder holder = null;
            if (object instanceof X509CertificateHolder certificate) {
                holder = certificate;
            } else if (object instanceof X509TrustedCertificateBlock trusted) {
                // "BEGIN TRUSTED CERTIFICATE", as written by `openssl x509 -trustout`
                holder = trusted.getCertificateHolder();
            }
            if (holder != null) {
                try {
                    certificates.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new IllegalArgumentException(
                        option + ": " + role + " " + file + " holds a certificate that cannot be decoded: " + e.getMessage(), e);
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(option + ": " + role + " " + file
                + " holds no PEM certificate (expected a block \"-----BEGIN CERTIFICATE-----\")");
        }
        return List.copyOf(certificates);
    }

    /**
     * Reads the first private key in the file: PKCS#8 ("BEGIN PRIVATE KEY"), PKCS#1 RSA ("BEGIN RSA PRIVATE KEY"),
     * SEC1 EC ("BEGIN EC PRIVATE KEY"), encrypted PKCS#8 ("BEGIN ENCRYPTED PRIVATE KEY") or legacy OpenSSL
     * encryption ("Proc-Type: 4,ENCRYPTED"). Other blocks (certificates, "EC PARAMETERS") are skipped, so a
     * combined certificate-and-key file works.
     *
     * @param password for encrypted keys; ignored for unencrypted ones (as Python's {@code ssl} does), may be null
     */
    static PrivateKey readPrivateKey(String option, Path file, char[] password) {
        String role = "key file";
        for (Object object : readObjects(option, role, file)) {
            try {
                JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    // only the private half: the public key is optional in SEC1 EC keys
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    char[] secret = requirePassword(option, file, password);
                    PrivateKeyInfo info;
                    try {
                        info = encrypted.decryptPrivateKeyInfo(
                            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(secret));
                    } catch (Exception e) {
                        throw wrongPassword(option, file, e);
                    }
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMEncryptedKeyPair encrypted) {
                    char[] secret = requirePassword(option, file, password);
                    PEMKeyPair pair;
                    try {
                        pair = encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(secret));
                    } catch (Exception e) {
                        throw wrongPassword(option, file, e);
                    }
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
            } catch (IOException e) {
                throw new IllegalArgumentException(
                    option + ": key file " + file + " holds a private key that cannot be decoded: " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException(option + ": key file " + file
            + " holds no PEM private key (expected \"BEGIN PRIVATE KEY\", \"BEGIN RSA PRIVATE KEY\", \"BEGIN EC PRIVATE KEY\""
            + " or \"BEGIN ENCRYPTED PRIVATE KEY\")");
    }

    private static char[] requirePassword(String option, Path file, char[] password) {
        if (password == null) {
            throw new IllegalArgumentException(option + ": key file " + file + " is encrypted; set clientKeyPassword(...)");
        }
        return password;
    }

    private static IllegalArgumentException wrongPassword(String option, Path file, Exception cause) {
        return new IllegalArgumentException(option + ": key file " + file
            + " cannot be decrypted: wrong clientKeyPassword, or an unsupported or damaged key", cause);
    }

    private static List<Object> readObjects(String option, String role, Path file) {
        FileChecks.requireReadable(option, role, file);
        List<Object> objects = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
             PEMParser parser = new PEMParser(reader)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        } catch (IOException | RuntimeException e) {
            // PEMParser reports a damaged block (bad base64, bad DER) as an IOException; text outside blocks is skipped.
            // ISO-8859-1 decodes any byte, so a binary file is "no PEM block", not a charset error.
            throw new IllegalArgumentException(option + ": " + role + " " + file + " is not a valid PEM file: " + e.getMessage(), e);
        }
        return objects;
    }

    /** BouncyCastle as a local provider for decryption only; never registered with {@link java.security.Security}. */
    private static final class Bc {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }
}
