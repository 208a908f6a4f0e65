package dev.cratereactive.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;

/**
 * Proves that a private key belongs to a certificate's public key, so that a swapped key file fails at build time
 * and not as an opaque handshake failure on the server.
 */
final class KeyMatch {

    private static final byte[] CHALLENGE = "crate-reactive-tls key check".getBytes(StandardCharsets.US_ASCII);

    private KeyMatch() {
    }

    static void requireMatch(String option, Path certificateFile, Path keyFile, X509Certificate certificate, PrivateKey key) {
        PublicKey publicKey = certificate.getPublicKey();
        if (!family(publicKey.getAlgorithm()).equals(family(key.getAlgorithm()))) {
            throw mismatch(option, certificateFile, keyFile,
                "the certificate's key is " + publicKey.getAlgorithm() + ", the key file's is " + key.getAlgorithm());
        }
        if (publicKey instanceof RSAKey rsaPublic && key instanceof RSAKey rsaPrivate) {
            // RSA: the modulus (and, with CRT parameters, the public exponent) are the public key
            boolean same = rsaPublic.getModulus().equals(rsaPrivate.getModulus())
                && (!(key instanceof RSAPrivateCrtKey crt) || !(publicKey instanceof RSAPublicKey pub)
                    || crt.getPublicExponent().equals(pub.getPublicExponent()));
            if (!same) {
                throw mismatch(option, certificateFile, keyFile, "the public keys differ");
            }
            return;
        }
        String algorithm = signatureAlgorithm(key.getAlgorithm());
        if (algorithm == null) {
            return; // unusual key type: left to the TLS handshake
        }
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(CHALLENGE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(CHALLENGE);
            if (!verifier.verify(signature)) {
                throw mismatch(option, certificateFile, keyFile, "the public keys differ");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(option + ": the key in " + keyFile + " cannot be checked against the certificate in "
                + certificateFile + ": " + e.getMessage(), e);
        }
    }

    private static IllegalArgumentException mismatch(String option, Path certificateFile, Path keyFile, String why) {
        return new IllegalArgumentException(option + ": the private key in " + keyFile + " does not belong to the certificate in "
            + certificateFile + " (" + why + ")");
    }

    private static String family(String algorithm) {
        return switch (algorithm) {
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            case "RSA", "RSASSA-PSS" -> "RSA";
            default -> algorithm;
        };
    }

    private static String signatureAlgorithm(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "EdDSA", "Ed25519", "Ed448" -> keyAlgorithm;
            default -> null;
        };
    }
}
