package dev.cratereactive.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;

/**
 * Loads PKCS#12 and JKS stores, detecting the format from the file's first bytes rather than its name. Every
 * failure is an {@link IllegalArgumentException} naming the option and the file, never the password.
 */
final class KeyStores {

    private static final byte[] JKS_MAGIC = {(byte) 0xFE, (byte) 0xED, (byte) 0xFE, (byte) 0xED};
    private static final byte[] JCEKS_MAGIC = {(byte) 0xCE, (byte) 0xCE, (byte) 0xCE, (byte) 0xCE};
    private static final byte DER_SEQUENCE = 0x30;

    private KeyStores() {
    }

    /** @return the loaded store; its type is one of "PKCS12", "JKS", "JCEKS" */
    static KeyStore load(String option, Path file, char[] password) {
        FileChecks.requireReadable(option, "file", file);
        String type = detectType(option, file);
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password);
            return store;
        } catch (IOException e) {
            if (causedByWrongPassword(e)) {
                throw new IllegalArgumentException(option + ": wrong password for " + describe(type) + " " + file
                    + " (or the file is damaged)", e);
            }
            throw new IllegalArgumentException(option + ": file " + file + " cannot be read as " + describe(type) + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(option + ": file " + file + " cannot be read as " + describe(type) + ": " + e.getMessage(), e);
        }
    }

    /** @return the trusted certificate entries (no certificates of key entries); at least one */
    static List<X509Certificate> trustedCertificates(String option, Path file, KeyStore store) {
        List<X509Certificate> certificates = new ArrayList<>();
        boolean hasKeys = false;
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias) && store.getCertificate(alias) instanceof X509Certificate certificate) {
                    certificates.add(certificate);
                } else if (store.isKeyEntry(alias)) {
                    hasKeys = true;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(option + ": file " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(option + ": " + describe(store.getType()) + " " + file
                + " holds no trusted certificate entry" + (hasKeys ? " (only private keys: is it a key store? use keyStore(...))" : ""));
        }
        return List.copyOf(certificates);
    }

    /**
     * Checks that the store has at least one private key entry with a certificate chain, and that every key opens
     * with {@code keyPassword} (the JDK's key manager needs them all), then builds a key manager factory.
     */
    static KeyManagerFactory keyManagerFactory(String option, Path file, KeyStore store, char[] keyPassword, boolean ownKeyPassword) {
        try {
            int keys = 0;
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                try {
                    if (store.getKey(alias, keyPassword) == null) {
                        continue; // a secret-key entry (JCEKS) is not a private key
                    }
                } catch (UnrecoverableKeyException e) {
                    throw new IllegalArgumentException(option + ": the private key '" + alias + "' in " + file + " does not open with "
                        + (ownKeyPassword ? "clientKeyPassword" : "the store password; set clientKeyPassword(...) if the key has its own"), e);
                }
                Certificate[] chain = store.getCertificateChain(alias);
                if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate)) {
                    throw new IllegalArgumentException(option + ": the private key '" + alias + "' in " + file + " has no X.509 certificate");
                }
                keys++;
            }
            if (keys == 0) {
                throw new IllegalArgumentException(option + ": " + describe(store.getType()) + " " + file
                    + " holds no private key entry (only certificates: is it a trust store? use trustStore(...))");
            }
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, keyPassword);
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(option + ": the private key in " + file + " cannot be used: " + e.getMessage(), e);
        }
    }

    private static String detectType(String option, Path file) {
        byte[] head = new byte[16];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + ": file " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (read == 0) {
            throw new IllegalArgumentException(option + ": file " + file + " is empty");
        }
        if (startsWith(head, read, JKS_MAGIC)) {
            return "JKS";
        }
        if (startsWith(head, read, JCEKS_MAGIC)) {
            return "JCEKS";
        }
        if (head[0] == DER_SEQUENCE) {
            return "PKCS12";
        }
        String text = new String(head, 0, read, StandardCharsets.ISO_8859_1);
        if (text.contains("-----BEGIN")) {
            throw new IllegalArgumentException(option + ": file " + file + " is a PEM file, not a PKCS#12 or JKS store"
                + " (use caCertificate(...) for PEM CA certificates, clientCertificate(...) for a PEM certificate and key)");
        }
        throw new IllegalArgumentException(option + ": file " + file + " is neither a PKCS#12 nor a JKS key store");
    }

    private static boolean startsWith(byte[] head, int read, byte[] magic) {
        if (read < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean causedByWrongPassword(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof UnrecoverableKeyException) {
                return true;
            }
            // JKS: "Keystore was tampered with, or password was incorrect"; PKCS#12: "keystore password was incorrect"
            String message = t.getMessage();
            if (message != null && message.contains("password was incorrect")) {
                return true;
            }
        }
        return false;
    }

    static String describe(String type) {
        return switch (type) {
            case "PKCS12" -> "PKCS#12 store";
            case "JKS" -> "JKS store";
            default -> type + " store";
        };
    }
}
