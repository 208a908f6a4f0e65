package dev.cratereactive.tls;

import dev.cratereactive.TlsConfiguration;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS settings for {@code https://} CrateDB nodes: which server certificates to trust, an optional client
 * certificate, and the TLS versions to offer. Pass it to
 * {@link dev.cratereactive.CrateClientBuilder#tls(TlsConfiguration)}; it is ignored for {@code http://} nodes, as
 * in the Python client.
 *
 * <pre>{@code
 * CrateTls tls = CrateTls.builder()
 *     .caCertificate(Path.of("ca.pem"))                                  // Python: ca_cert
 *     .clientCertificate(Path.of("client.pem"), Path.of("client.key"))   // Python: cert_file, key_file
 *     .build();
 * CrateClient client = CrateClient.builder().nodes("https://db:4200").tls(tls).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; one instance can serve any number of clients. All files are read and checked by
 * {@link Builder#build()}, which fails with an {@link IllegalArgumentException} naming the option, the file and the
 * problem (never a password); nothing is read later, so replacing a file needs a new instance. No password is kept.
 *
 * <p>Python client equivalents ({@code crate.client.connect(...)}):
 * <table>
 *   <caption>Python option and Java call</caption>
 *   <tr><th>Python</th><th>Java</th></tr>
 *   <tr><td>{@code verify_ssl_cert}</td><td>{@link Builder#verifyServerCertificate(boolean)}</td></tr>
 *   <tr><td>{@code ca_cert}</td><td>{@link Builder#caCertificate(Path)}, or {@link Builder#trustStore(Path, char[])}</td></tr>
 *   <tr><td>{@code cert_file}, {@code key_file}</td><td>{@link Builder#clientCertificate(Path, Path)}, or
 *       {@link Builder#keyStore(Path, char[])}</td></tr>
 *   <tr><td>{@code ssl_relax_minimum_version}</td><td>{@link Builder#relaxMinimumVersion(boolean)}</td></tr>
 * </table>
 */
public final class CrateTls implements TlsConfiguration {

    /** The TLS versions offered by default: {@code TLSv1.3} and {@code TLSv1.2}. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * The TLS versions offered with {@link Builder#relaxMinimumVersion(boolean) relaxMinimumVersion(true)}:
     * {@link #DEFAULT_PROTOCOLS} plus {@code TLSv1.1} and {@code TLSv1}.
     */
    public static final List<String> RELAXED_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1");

    private static final Logger LOG = LoggerFactory.getLogger(CrateTls.class);

    private final SslContext sslContext;
    private final boolean verifyServerCertificate;
    private final boolean relaxMinimumVersion;
    private final String description;

    private CrateTls(SslContext sslContext, boolean verifyServerCertificate, boolean relaxMinimumVersion, String description) {
        this.sslContext = sslContext;
        this.verifyServerCertificate = verifyServerCertificate;
        this.relaxMinimumVersion = relaxMinimumVersion;
        this.description = description;
    }

    /**
     * Starts a configuration with the defaults: the JVM's trusted certificates, no client certificate, server
     * certificate and host name verified, {@link #DEFAULT_PROTOCOLS}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The Netty client context built from the material, with the trust material, the client key (if any) and
     * {@link #protocols()}. It verifies host names itself (endpoint identification {@code HTTPS}) unless
     * server certificate verification is off.
     *
     * @return the client SSL context, the same instance on every call
     */
    @Override
    public SslContext sslContext() {
        return sslContext;
    }

    /**
     * Whether the server's host name (or IP address) must match its certificate. Equal to
     * {@link #verifyServerCertificate()}: host names are checked exactly when certificates are.
     *
     * @return {@code true} unless built with {@code verifyServerCertificate(false)}
     */
    @Override
    public boolean verifyHostname() {
        return verifyServerCertificate;
    }

    /**
     * @return whether the server's certificate chain is verified (default {@code true}; Python: {@code verify_ssl_cert})
     */
    public boolean verifyServerCertificate() {
        return verifyServerCertificate;
    }

    /**
     * @return whether TLS 1.1 and 1.0 are offered too (default {@code false}; Python: {@code ssl_relax_minimum_version})
     */
    public boolean relaxMinimumVersion() {
        return relaxMinimumVersion;
    }

    /**
     * The TLS versions this configuration offers, before the JDK's own restrictions
     * ({@code jdk.tls.disabledAlgorithms} disables TLS 1.1 and 1.0 in current JDKs).
     *
     * @return {@link #RELAXED_PROTOCOLS} if {@link #relaxMinimumVersion()}, else {@link #DEFAULT_PROTOCOLS}
     */
    public List<String> protocols() {
        return relaxMinimumVersion ? RELAXED_PROTOCOLS : DEFAULT_PROTOCOLS;
    }

    /**
     * @return the files and flags this configuration was built from; passwords are never shown
     */
    @Override
    public String toString() {
        return description;
    }

    /**
     * Collects the TLS options; {@link #build()} reads and checks the files. Setters only record (a {@code null}
     * argument fails at once with a {@link NullPointerException}); a later call of the same setter replaces the
     * earlier one. Passwords are copied, so the caller may clear its arrays after the call. Not thread-safe; a
     * builder may build several instances.
     */
    public static final class Builder {

        private Path caCertificate;
        private Path trustStore;
        private char[] trustStorePassword;
        private Path clientCertificate;
        private Path clientKey;
        private char[] clientKeyPassword;
        private Path keyStore;
        private char[] keyStorePassword;
        private boolean verifyServerCertificate = true;
        private boolean relaxMinimumVersion;

        private Builder() {
        }

        /**
         * The certificate authorities that sign the servers' certificates, as a PEM file with one or more
         * {@code -----BEGIN CERTIFICATE-----} blocks (a bundle). Replaces the JVM's trusted certificates: only these
         * are trusted. Default: the JVM's trust store. Python: {@code ca_cert}. Cannot be combined with
         * {@link #trustStore(Path, char[])}.
         *
         * @param pemFile the PEM file
         * @return this builder
         */
        public Builder caCertificate(Path pemFile) {
            this.caCertificate = Objects.requireNonNull(pemFile, "caCertificate");
            return this;
        }

        /**
         * The certificate authorities to trust, from a PKCS#12 or JKS store (the format is detected from the file's
         * content, not its name). Its trusted-certificate entries are used; private key entries are ignored.
         * Replaces the JVM's trusted certificates. Default: the JVM's trust store. Python: {@code ca_cert} (PEM
         * only there). Cannot be combined with {@link #caCertificate(Path)}.
         *
         * @param storeFile the PKCS#12 or JKS file
         * @param password the store password (an empty array for none); copied, never shown
         * @return this builder
         */
        public Builder trustStore(Path storeFile, char[] password) {
            this.trustStore = Objects.requireNonNull(storeFile, "trustStore");
            this.trustStorePassword = Objects.requireNonNull(password, "trustStore password").clone();
            return this;
        }

        /**
         * A client certificate for servers that ask for one (CrateDB's host-based authentication method
         * {@code cert}: the certificate's CN names the user). Default: none. Python: {@code cert_file} and
         * {@code key_file}. Cannot be combined with {@link #keyStore(Path, char[])}.
         *
         * <p>{@code certificatePem} holds the client certificate first, then optionally its intermediate CA
         * certificates. {@code keyPem} holds its private key as PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA
         * ({@code BEGIN RSA PRIVATE KEY}), SEC1 EC ({@code BEGIN EC PRIVATE KEY}), encrypted PKCS#8
         * ({@code BEGIN ENCRYPTED PRIVATE KEY}) or legacy OpenSSL encryption ({@code Proc-Type: 4,ENCRYPTED});
         * encrypted keys need {@link #clientKeyPassword(char[])}. Both may be the same file. The key must belong to
         * the certificate.
         *
         * @param certificatePem the PEM certificate (chain) file
         * @param keyPem the PEM private key file
         * @return this builder
         */
        public Builder clientCertificate(Path certificatePem, Path keyPem) {
            this.clientCertificate = Objects.requireNonNull(certificatePem, "clientCertificate certificatePem");
            this.clientKey = Objects.requireNonNull(keyPem, "clientCertificate keyPem");
            return this;
        }

        /**
         * The password of an encrypted client key: of the PEM key of {@link #clientCertificate(Path, Path)}, or of
         * the private key entry in {@link #keyStore(Path, char[])} when it differs from the store password. Ignored
         * for an unencrypted PEM key. Default: none. Needs a client certificate or key store.
         *
         * @param password the key password; copied, never shown
         * @return this builder
         */
        public Builder clientKeyPassword(char[] password) {
            this.clientKeyPassword = Objects.requireNonNull(password, "clientKeyPassword").clone();
            return this;
        }

        /**
         * The client certificate and key from a PKCS#12 or JKS store (the format is detected from the file's
         * content). The store must hold at least one private key entry with its certificate; the key opens with the
         * store password unless {@link #clientKeyPassword(char[])} is set. Default: none. Python: {@code cert_file}
         * and {@code key_file} (PEM only there). Cannot be combined with {@link #clientCertificate(Path, Path)}.
         *
         * @param storeFile the PKCS#12 or JKS file
         * @param password the store password; copied, never shown
         * @return this builder
         */
        public Builder keyStore(Path storeFile, char[] password) {
            this.keyStore = Objects.requireNonNull(storeFile, "keyStore");
            this.keyStorePassword = Objects.requireNonNull(password, "keyStore password").clone();
            return this;
        }

        /**
         * Whether the server's certificate chain and host name are verified (default {@code true}). {@code false}
         * trusts ANY certificate and does not check host names, so anyone on the network path can read and change
         * the traffic: for tests and throw-away setups only. {@link #build()} logs a warning each time it builds
         * such a configuration. A configured {@link #caCertificate(Path)} or {@link #trustStore(Path, char[])} is
         * still checked but not used. Python: {@code verify_ssl_cert}.
         *
         * @param verify {@code false} to trust any server certificate
         * @return this builder
         */
        public Builder verifyServerCertificate(boolean verify) {
            this.verifyServerCertificate = verify;
            return this;
        }

        /**
         * Whether to offer TLS 1.1 and TLS 1.0 as well as TLS 1.3 and 1.2 (default {@code false}: only
         * {@link #DEFAULT_PROTOCOLS}), for old servers or TLS-terminating proxies. Python:
         * {@code ssl_relax_minimum_version}.
         *
         * <p>The JDK has its own floor: current JDKs list {@code TLSv1} and {@code TLSv1.1} in the security property
         * {@code jdk.tls.disabledAlgorithms} (file {@code conf/security/java.security}), and then never negotiate
         * them, whatever this flag says. To really connect with TLS 1.1 or 1.0, remove them from that property too
         * (e.g. with {@code -Djava.security.properties=<file>}), knowing these versions are broken.
         *
         * @param relax {@code true} to offer TLS 1.1 and 1.0 too
         * @return this builder
         */
        public Builder relaxMinimumVersion(boolean relax) {
            this.relaxMinimumVersion = relax;
            return this;
        }

        /**
         * Reads and checks every configured file and builds the immutable configuration. Fails when a file is
         * missing, unreadable or of the wrong kind, holds no certificate or key, when a password is wrong, when a
         * store has no key or no trusted certificate, when the client key does not belong to the client
         * certificate, or when options exclude each other ({@code caCertificate} and {@code trustStore};
         * {@code clientCertificate} and {@code keyStore}; {@code clientKeyPassword} without a client key).
         *
         * @return a new configuration
         * @throws IllegalArgumentException naming the option, the file and what is wrong (never a password)
         * @throws IllegalStateException if the JDK's TLS provider rejects the material
         */
        public CrateTls build() {
            if (caCertificate != null && trustStore != null) {
                throw new IllegalArgumentException("caCertificate: cannot be combined with trustStore; choose one (caCertificate "
                    + caCertificate + ", trustStore " + trustStore + ")");
            }
            if (clientCertificate != null && keyStore != null) {
                throw new IllegalArgumentException("clientCertificate: cannot be combined with keyStore; choose one (clientCertificate "
                    + clientCertificate + ", keyStore " + keyStore + ")");
            }
            if (clientKeyPassword != null && clientCertificate == null && keyStore == null) {
                throw new IllegalArgumentException("clientKeyPassword: set without a client key; it needs clientCertificate(...) or keyStore(...)");
            }

            List<X509Certificate> trusted = null;
            if (caCertificate != null) {
                trusted = PemFiles.readCertificates("caCertificate", "file", caCertificate);
            } else if (trustStore != null) {
                KeyStore store = KeyStores.load("trustStore", trustStore, trustStorePassword);
                trusted = KeyStores.trustedCertificates("trustStore", trustStore, store);
            }

            PrivateKey key = null;
            List<X509Certificate> chain = null;
            KeyManagerFactory keyManagers = null;
            if (clientCertificate != null) {
                chain = PemFiles.readCertificates("clientCertificate", "certificate file", clientCertificate);
                key = PemFiles.readPrivateKey("clientCertificate", clientKey, clientKeyPassword);
                KeyMatch.requireMatch("clientCertificate", clientCertificate, clientKey, chain.get(0), key);
            } else if (keyStore != null) {
                KeyStore store = KeyStores.load("keyStore", keyStore, keyStorePassword);
                boolean ownKeyPassword = clientKeyPassword != null;
                keyManagers = KeyStores.keyManagerFactory("keyStore", keyStore, store,
                    ownKeyPassword ? clientKeyPassword : keyStorePassword, ownKeyPassword);
            }

            List<String> protocols = relaxMinimumVersion ? RELAXED_PROTOCOLS : DEFAULT_PROTOCOLS;
            SslContextBuilder context = SslContextBuilder.forClient().protocols(protocols);
            if (!verifyServerCertificate) {
                context.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
            } else {
                if (trusted != null) {
                    context.trustManager(trusted);
                }
                context.endpointIdentificationAlgorithm("HTTPS");
            }
            if (key != null) {
                context.keyManager(key, chain);
            } else if (keyManagers != null) {
                context.keyManager(keyManagers);
            }
            SslContext sslContext;
            try {
                sslContext = context.build();
            } catch (SSLException e) {
                throw new IllegalStateException("TLS: the SSL context cannot be built from " + describe() + ": " + e.getMessage(), e);
            }
            if (!verifyServerCertificate) {
                LOG.warn("TLS server certificate verification is OFF (verifyServerCertificate(false)): any certificate is trusted "
                    + "and host names are not checked, so the connection is not protected against interception. Use only for tests.");
            }
            return new CrateTls(sslContext, verifyServerCertificate, relaxMinimumVersion, describe());
        }

        private String describe() {
            List<String> parts = new ArrayList<>();
            if (caCertificate != null) {
                parts.add("caCertificate=" + caCertificate);
            }
            if (trustStore != null) {
                parts.add("trustStore=" + trustStore + ", trustStorePassword=***");
            }
            if (caCertificate == null && trustStore == null) {
                parts.add("trust=JVM default");
            }
            if (clientCertificate != null) {
                parts.add("clientCertificate=" + clientCertificate + ", clientKey=" + clientKey);
            }
            if (keyStore != null) {
                parts.add("keyStore=" + keyStore + ", keyStorePassword=***");
            }
            if (clientKeyPassword != null) {
                parts.add("clientKeyPassword=***");
            }
            parts.add("verifyServerCertificate=" + verifyServerCertificate);
            parts.add("relaxMinimumVersion=" + relaxMinimumVersion);
            parts.add("protocols=" + (relaxMinimumVersion ? RELAXED_PROTOCOLS : DEFAULT_PROTOCOLS));
            return "CrateTls[" + String.join(", ", parts) + "]";
        }

        /**
         * @return the options set so far; passwords are shown as {@code ***}
         */
        @Override
        public String toString() {
            return describe().replaceFirst("^CrateTls\\[", "CrateTls.Builder[");
        }
    }
}
