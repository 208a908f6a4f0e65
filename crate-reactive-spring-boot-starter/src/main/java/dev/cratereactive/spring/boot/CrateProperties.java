package dev.cratereactive.spring.boot;

import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateClientBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code cratedb.*}: every {@link CrateClientBuilder} option that a property can express. Options left unset keep
 * the builder's defaults (named in each setter). What a property cannot express (a JWT supplier, a custom
 * {@link dev.cratereactive.NodeSelector}, Netty channel options) goes into a {@link CrateClientBuilderCustomizer}
 * bean. Credentials are never printed: {@link #toString()} masks them.
 */
@ConfigurationProperties("cratedb")
public class CrateProperties {

    /** Node addresses: host, host:port or http(s)://[user:password@]host[:port][/prefix]. */
    private List<String> nodes = new ArrayList<>(List.of(CrateClient.DEFAULT_NODE));

    /** User name for HTTP Basic authentication (overrides credentials in the first node URL). */
    private @Nullable String username;

    /** Password for HTTP Basic authentication. */
    private @Nullable String password;

    /** A static JWT sent as a Bearer token; exclusive with username. For a rotating token use a customizer. */
    private @Nullable String jwt;

    /** Default schema (the Default-Schema header); CrateDB's default, doc, when unset. */
    private @Nullable String schema;

    /** How long to wait for a TCP connection. */
    private Duration connectTimeout = CrateClientBuilder.DEFAULT_CONNECT_TIMEOUT;

    /** Read timeout: the longest silence while waiting for bytes of a response. */
    private Duration timeout = CrateClientBuilder.DEFAULT_TIMEOUT;

    /** Whether CrateDB sends its stack trace with errors (error_trace=true). */
    private boolean errorTrace;

    /** Retries wait backoff-factor x 2^(n-1), capped at 120 s; 0 retries at once. */
    private Duration backoffFactor = Duration.ZERO;

    /** How many times a failed call is retried on the next node. */
    private int maxRetries = CrateClientBuilder.DEFAULT_MAX_RETRIES;

    /** Request bodies larger than this are gzip-compressed, in bytes. */
    private int compressionThreshold = CrateClientBuilder.DEFAULT_COMPRESSION_THRESHOLD;

    /** How long a node that failed is skipped before it is tried again (doubling per further failure). */
    private Duration deadNodeRetryInterval = CrateClientBuilder.DEFAULT_DEAD_NODE_RETRY_INTERVAL;

    /** In which order a query tries the nodes. */
    private NodeOrder nodeOrder = NodeOrder.ROUND_ROBIN;

    /** Whether a cancelled or timed-out call KILLs its job on the server. */
    private boolean cancelOnServer = true;

    /** Deadline per call unless the statement sets one (the server job is killed); none when unset. */
    private @Nullable Duration defaultTimeout;

    /** Refresh the node list from sys.nodes this often; off when unset. */
    private @Nullable Duration discoverNodes;

    /**
     * Rows per FETCH for SELECT and VALUES queries, read through a server-side cursor on a connection of its own;
     * 0 (the default) reads the whole result in one response.
     */
    private int defaultFetchSize = 0;

    /** TCP keepalive. */
    private final Keepalive keepalive = new Keepalive();

    /** The client's connection pool. */
    private final Pool pool = new Pool();

    /** HTTPS material for https:// nodes (needs crate-reactive-tls on the class path). */
    private final Tls tls = new Tls();

    /** The node orders a property can name. */
    public enum NodeOrder {
        /** Rotate the first node once per query ({@code NodeSelector.roundRobin()}). */
        ROUND_ROBIN,
        /** Always in configuration order: the first node unless it failed ({@code NodeSelector.inOrder()}). */
        IN_ORDER
    }

    /** {@code cratedb.keepalive.*}. */
    public static class Keepalive {
        /** Whether SO_KEEPALIVE is on. */
        private boolean enabled = true;
        /** Idle time before the first keepalive probe (TCP_KEEPIDLE); the OS default when unset. */
        private @Nullable Duration idle;
        /** Time between keepalive probes (TCP_KEEPINTVL); the OS default when unset. */
        private @Nullable Duration interval;
        /** Unanswered probes before the connection is dropped (TCP_KEEPCNT); the OS default when unset. */
        private @Nullable Integer count;

        /** @return whether SO_KEEPALIVE is on (default true) */
        public boolean isEnabled() { return enabled; }
        /** @param enabled whether SO_KEEPALIVE is on */
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        /** @return TCP_KEEPIDLE, or null for the OS default */
        public @Nullable Duration getIdle() { return idle; }
        /** @param idle TCP_KEEPIDLE */
        public void setIdle(@Nullable Duration idle) { this.idle = idle; }
        /** @return TCP_KEEPINTVL, or null for the OS default */
        public @Nullable Duration getInterval() { return interval; }
        /** @param interval TCP_KEEPINTVL */
        public void setInterval(@Nullable Duration interval) { this.interval = interval; }
        /** @return TCP_KEEPCNT, or null for the OS default */
        public @Nullable Integer getCount() { return count; }
        /** @param count TCP_KEEPCNT */
        public void setCount(@Nullable Integer count) { this.count = count; }
    }

    /** {@code cratedb.pool.*}. */
    public static class Pool {
        /** Most connections open at once to each node. */
        private int maxConnections = CrateClientBuilder.DEFAULT_MAX_CONNECTIONS;
        /** Idle connections are closed after this long (below common load-balancer limits). */
        private Duration maxIdleTime = CrateClientBuilder.DEFAULT_MAX_IDLE_TIME;

        /** @return the most connections open at once to each node (default 64) */
        public int getMaxConnections() { return maxConnections; }
        /** @param maxConnections the most connections open at once to each node */
        public void setMaxConnections(int maxConnections) { this.maxConnections = maxConnections; }
        /** @return how long an idle connection stays open (default 30 s) */
        public Duration getMaxIdleTime() { return maxIdleTime; }
        /** @param maxIdleTime how long an idle connection stays open */
        public void setMaxIdleTime(Duration maxIdleTime) { this.maxIdleTime = maxIdleTime; }
    }

    /** {@code cratedb.tls.*}: files for {@code dev.cratereactive.tls.CrateTls}; unused for http:// nodes. */
    public static class Tls {
        /** PEM bundle of CA certificates to trust (instead of the JVM's). */
        private @Nullable Path caCertificate;
        /** Trust store (PKCS#12 or JKS) instead of ca-certificate. */
        private @Nullable Path trustStore;
        /** The trust store's password. */
        private @Nullable String trustStorePassword;
        /** Client certificate chain, PEM. */
        private @Nullable Path clientCertificate;
        /** The client certificate's private key, PEM. */
        private @Nullable Path clientKey;
        /** Password of an encrypted client key. */
        private @Nullable String clientKeyPassword;
        /** Client key store (PKCS#12 or JKS) instead of client-certificate and client-key. */
        private @Nullable Path keyStore;
        /** The key store's password. */
        private @Nullable String keyStorePassword;
        /** Whether the server's certificate and host name are checked. */
        private boolean verifyServerCertificate = true;
        /** Whether TLS 1.0 and 1.1 are allowed too. */
        private boolean relaxMinimumVersion;

        /** @return whether any TLS option differs from the default (then crate-reactive-tls is needed) */
        public boolean isConfigured() {
            return caCertificate != null || trustStore != null || clientCertificate != null || clientKey != null
                || keyStore != null || clientKeyPassword != null || !verifyServerCertificate || relaxMinimumVersion;
        }

        /** @return the CA PEM bundle, or null */
        public @Nullable Path getCaCertificate() { return caCertificate; }
        /** @param caCertificate the CA PEM bundle */
        public void setCaCertificate(@Nullable Path caCertificate) { this.caCertificate = caCertificate; }
        /** @return the trust store, or null */
        public @Nullable Path getTrustStore() { return trustStore; }
        /** @param trustStore the trust store */
        public void setTrustStore(@Nullable Path trustStore) { this.trustStore = trustStore; }
        /** @return the trust store password, or null */
        public @Nullable String getTrustStorePassword() { return trustStorePassword; }
        /** @param trustStorePassword the trust store password */
        public void setTrustStorePassword(@Nullable String trustStorePassword) { this.trustStorePassword = trustStorePassword; }
        /** @return the client certificate PEM, or null */
        public @Nullable Path getClientCertificate() { return clientCertificate; }
        /** @param clientCertificate the client certificate PEM */
        public void setClientCertificate(@Nullable Path clientCertificate) { this.clientCertificate = clientCertificate; }
        /** @return the client key PEM, or null */
        public @Nullable Path getClientKey() { return clientKey; }
        /** @param clientKey the client key PEM */
        public void setClientKey(@Nullable Path clientKey) { this.clientKey = clientKey; }
        /** @return the client key password, or null */
        public @Nullable String getClientKeyPassword() { return clientKeyPassword; }
        /** @param clientKeyPassword the client key password */
        public void setClientKeyPassword(@Nullable String clientKeyPassword) { this.clientKeyPassword = clientKeyPassword; }
        /** @return the client key store, or null */
        public @Nullable Path getKeyStore() { return keyStore; }
        /** @param keyStore the client key store */
        public void setKeyStore(@Nullable Path keyStore) { this.keyStore = keyStore; }
        /** @return the key store password, or null */
        public @Nullable String getKeyStorePassword() { return keyStorePassword; }
        /** @param keyStorePassword the key store password */
        public void setKeyStorePassword(@Nullable String keyStorePassword) { this.keyStorePassword = keyStorePassword; }
        /** @return whether the server certificate is verified (default true) */
        public boolean isVerifyServerCertificate() { return verifyServerCertificate; }
        /** @param verifyServerCertificate whether the server certificate is verified */
        public void setVerifyServerCertificate(boolean verifyServerCertificate) { this.verifyServerCertificate = verifyServerCertificate; }
        /** @return whether TLS 1.0/1.1 are allowed (default false) */
        public boolean isRelaxMinimumVersion() { return relaxMinimumVersion; }
        /** @param relaxMinimumVersion whether TLS 1.0/1.1 are allowed */
        public void setRelaxMinimumVersion(boolean relaxMinimumVersion) { this.relaxMinimumVersion = relaxMinimumVersion; }
    }

    /** @return node addresses (default {@code http://localhost:4200}) */
    public List<String> getNodes() { return nodes; }
    /** @param nodes node addresses */
    public void setNodes(List<String> nodes) { this.nodes = nodes; }
    /** @return the Basic user name, or null */
    public @Nullable String getUsername() { return username; }
    /** @param username the Basic user name */
    public void setUsername(@Nullable String username) { this.username = username; }
    /** @return the Basic password, or null */
    public @Nullable String getPassword() { return password; }
    /** @param password the Basic password */
    public void setPassword(@Nullable String password) { this.password = password; }
    /** @return the static JWT, or null */
    public @Nullable String getJwt() { return jwt; }
    /** @param jwt a static JWT */
    public void setJwt(@Nullable String jwt) { this.jwt = jwt; }
    /** @return the default schema, or null for CrateDB's ({@code doc}) */
    public @Nullable String getSchema() { return schema; }
    /** @param schema the default schema */
    public void setSchema(@Nullable String schema) { this.schema = schema; }
    /** @return the connect timeout (default 10 s) */
    public Duration getConnectTimeout() { return connectTimeout; }
    /** @param connectTimeout the connect timeout */
    public void setConnectTimeout(Duration connectTimeout) { this.connectTimeout = connectTimeout; }
    /** @return the read timeout (default 60 s) */
    public Duration getTimeout() { return timeout; }
    /** @param timeout the read timeout */
    public void setTimeout(Duration timeout) { this.timeout = timeout; }
    /** @return whether error traces are requested (default false) */
    public boolean isErrorTrace() { return errorTrace; }
    /** @param errorTrace whether error traces are requested */
    public void setErrorTrace(boolean errorTrace) { this.errorTrace = errorTrace; }
    /** @return the retry backoff factor (default 0) */
    public Duration getBackoffFactor() { return backoffFactor; }
    /** @param backoffFactor the retry backoff factor */
    public void setBackoffFactor(Duration backoffFactor) { this.backoffFactor = backoffFactor; }
    /** @return retries per call (default 3) */
    public int getMaxRetries() { return maxRetries; }
    /** @param maxRetries retries per call */
    public void setMaxRetries(int maxRetries) { this.maxRetries = maxRetries; }
    /** @return the gzip threshold in bytes (default 8192) */
    public int getCompressionThreshold() { return compressionThreshold; }
    /** @param compressionThreshold the gzip threshold in bytes */
    public void setCompressionThreshold(int compressionThreshold) { this.compressionThreshold = compressionThreshold; }
    /** @return how long a failed node is skipped at first (default 30 s) */
    public Duration getDeadNodeRetryInterval() { return deadNodeRetryInterval; }
    /** @param deadNodeRetryInterval how long a failed node is skipped at first */
    public void setDeadNodeRetryInterval(Duration deadNodeRetryInterval) { this.deadNodeRetryInterval = deadNodeRetryInterval; }
    /** @return the node order (default round-robin) */
    public NodeOrder getNodeOrder() { return nodeOrder; }
    /** @param nodeOrder the node order */
    public void setNodeOrder(NodeOrder nodeOrder) { this.nodeOrder = nodeOrder; }
    /** @return whether cancel and timeout KILL the server job (default true) */
    public boolean isCancelOnServer() { return cancelOnServer; }
    /** @param cancelOnServer whether cancel and timeout KILL the server job */
    public void setCancelOnServer(boolean cancelOnServer) { this.cancelOnServer = cancelOnServer; }
    /** @return the deadline per call, or null for none */
    public @Nullable Duration getDefaultTimeout() { return defaultTimeout; }
    /** @param defaultTimeout the deadline per call */
    public void setDefaultTimeout(@Nullable Duration defaultTimeout) { this.defaultTimeout = defaultTimeout; }
    /** @return how often nodes are discovered from sys.nodes, or null for never */
    public @Nullable Duration getDiscoverNodes() { return discoverNodes; }
    /** @param discoverNodes how often nodes are discovered from sys.nodes */
    public void setDiscoverNodes(@Nullable Duration discoverNodes) { this.discoverNodes = discoverNodes; }
    /** @return rows per FETCH through a cursor, or 0 (the default) for one response per query */
    public int getDefaultFetchSize() { return defaultFetchSize; }
    /** @param defaultFetchSize rows per FETCH through a cursor, or 0 for one response per query */
    public void setDefaultFetchSize(int defaultFetchSize) { this.defaultFetchSize = defaultFetchSize; }
    /** @return {@code cratedb.keepalive.*} */
    public Keepalive getKeepalive() { return keepalive; }
    /** @return {@code cratedb.pool.*} */
    public Pool getPool() { return pool; }
    /** @return {@code cratedb.tls.*} */
    public Tls getTls() { return tls; }

    @Override
    public String toString() {
        return "CrateProperties[nodes=" + nodes.size() + ", username=" + (username == null ? "none" : "***")
            + ", password=" + (password == null ? "none" : "***") + ", jwt=" + (jwt == null ? "none" : "***")
            + ", schema=" + schema + "]";
    }
}
