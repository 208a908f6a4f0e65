package dev.cratereactive;

import dev.cratereactive.internal.ClientConfig;
import dev.cratereactive.internal.DefaultCrateClient;
import dev.cratereactive.internal.OperabilityOptions;
import dev.cratereactive.internal.RequestOptions;
import dev.cratereactive.internal.routing.NodeAddress;
import dev.cratereactive.internal.routing.RoutingOptions;
import dev.cratereactive.internal.transport.TransportOptions;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.netty.resources.LoopResources;

/**
 * Configures and builds a {@link CrateClient}. Setters record; {@link #build()} validates everything and fails
 * with an {@link IllegalArgumentException} naming the option and the bad value. Not thread-safe; a builder may
 * build several clients.
 *
 * <p>The options follow the Python client's {@code connect()}: {@code servers} = {@link #nodes},
 * {@code username}/{@code password}, {@code schema}, {@code timeout}, {@code error_trace},
 * {@code backoff_factor}, {@code socket_keepalive} and {@code socket_tcp_keep*}, {@code ca_cert} and friends via
 * {@link #tls(TlsConfiguration)}.
 */
public final class CrateClientBuilder {

    /** Default TCP (and TLS) connect timeout: 10 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default longest wait for response bytes the client is ready to read: 60 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** Default number of retries on another node after a failed attempt: 3. */
    public static final int DEFAULT_MAX_RETRIES = 3;
    /** Default pooled connections per node: 64. */
    public static final int DEFAULT_MAX_CONNECTIONS = 64;
    /** Default size above which request bodies are gzipped: 8 KiB. */
    public static final int DEFAULT_COMPRESSION_THRESHOLD = 8 * 1024;
    /** {@link #compressionThreshold(int)} value that never compresses. */
    public static final int NO_COMPRESSION = Integer.MAX_VALUE;
    /** Default idle time after which a pooled connection is closed: 30 seconds, below common load balancer limits. */
    public static final Duration DEFAULT_MAX_IDLE_TIME = Duration.ofSeconds(30);
    /** Default time a failed node is skipped at first (doubling on repeated failure): 30 seconds. */
    public static final Duration DEFAULT_DEAD_NODE_RETRY_INTERVAL = Duration.ofSeconds(30);
    /** The longest wait between retries, whatever the backoff factor: 120 seconds. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(120);

    private final List<String> nodes = new ArrayList<>();
    private String username;
    private String password;
    private Supplier<String> jwt;
    private boolean staticJwt;
    private String schema;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration timeout = DEFAULT_TIMEOUT;
    private boolean errorTrace;
    private Duration backoffFactor = Duration.ZERO;
    private int maxRetries = DEFAULT_MAX_RETRIES;
    private boolean socketKeepalive = true;
    private Duration tcpKeepIdle;
    private Duration tcpKeepInterval;
    private Integer tcpKeepCount;
    private final Map<ChannelOption<?>, Object> channelOptions = new LinkedHashMap<>();
    private NodeSelector nodeSelector;
    private SslContext sslContext;
    private LoopResources loopResources;
    private TlsConfiguration tls;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int compressionThreshold = DEFAULT_COMPRESSION_THRESHOLD;
    private Duration maxIdleTime = DEFAULT_MAX_IDLE_TIME;
    private Duration deadNodeRetryInterval = DEFAULT_DEAD_NODE_RETRY_INTERVAL;
    private int defaultFetchSize;
    private boolean cancelOnServer = true;
    private Duration defaultTimeout;
    private Duration discoveryInterval;
    /* Object, not MeterRegistry: the builder must load without Micrometer on the class path. */
    private Object meterRegistry;
    private Object observationRegistry;

    CrateClientBuilder() {
    }

    /**
     * The nodes to talk to (default {@value CrateClient#DEFAULT_NODE}). Each is {@code host} (port 4200),
     * {@code host:port}, or a URL {@code http(s)://[user[:password]@]host[:port][/prefix]} (port 80/443 when
     * omitted). Credentials in the first URL are used unless {@link #username} is set. Replaces earlier calls.
     *
     * @param nodes one or more addresses
     * @return this builder
     */
    public CrateClientBuilder nodes(String... nodes) {
        return nodes(List.of(Objects.requireNonNull(nodes, "nodes")));
    }

    /**
     * Like {@link #nodes(String...)}.
     *
     * @param nodes one or more addresses
     * @return this builder
     */
    public CrateClientBuilder nodes(Collection<String> nodes) {
        this.nodes.clear();
        this.nodes.addAll(Objects.requireNonNull(nodes, "nodes"));
        return this;
    }

    /**
     * Basic authentication user (default: none, or the first node URL's user).
     *
     * @param username the user name
     * @return this builder
     */
    public CrateClientBuilder username(String username) {
        this.username = username;
        return this;
    }

    /**
     * Basic authentication password (default: none; a user without password is allowed).
     *
     * @param password the password; never logged or shown
     * @return this builder
     */
    public CrateClientBuilder password(String password) {
        this.password = password;
        return this;
    }

    /**
     * A static JWT sent as {@code Authorization: Bearer}. Cannot be combined with a user name.
     *
     * @param token the token; never logged or shown
     * @return this builder
     */
    public CrateClientBuilder jwt(String token) {
        Objects.requireNonNull(token, "jwt");
        this.jwt = () -> token;
        this.staticJwt = true;
        return this;
    }

    /**
     * A JWT supplier called for every request (for tokens that expire), so a new token is used from the next
     * request on. When a node answers 401, the client asks the supplier once more and resends the request once to
     * the same node (not counted as a retry, the node not marked dead). It must not block.
     *
     * @param tokenSupplier supplies the current token
     * @return this builder
     */
    public CrateClientBuilder jwt(Supplier<String> tokenSupplier) {
        this.jwt = Objects.requireNonNull(tokenSupplier, "jwt");
        this.staticJwt = false;
        return this;
    }

    /**
     * The default schema for unqualified table names (header {@code Default-Schema}; default: the server's,
     * {@code doc}). CrateDB reads it only on a connection's first request, so the client keeps it per client.
     *
     * @param schema the schema name
     * @return this builder
     */
    public CrateClientBuilder schema(String schema) {
        this.schema = schema;
        return this;
    }

    /**
     * @param connectTimeout TCP and TLS connect timeout (default 10 s), positive
     * @return this builder
     */
    public CrateClientBuilder connectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        return this;
    }

    /**
     * The longest time without response bytes while the client is waiting for them (default 60 s;
     * {@link Duration#ZERO} waits forever). Time a slow subscriber takes does not count: with no demand the
     * client is not waiting. Like the Python client's {@code timeout}.
     *
     * @param timeout the read timeout, zero or positive
     * @return this builder
     */
    public CrateClientBuilder timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /**
     * @param errorTrace whether to ask the server for stack traces ({@code ?error_trace=true}; default false),
     *     available from {@link CrateException#errorTrace()}
     * @return this builder
     */
    public CrateClientBuilder errorTrace(boolean errorTrace) {
        this.errorTrace = errorTrace;
        return this;
    }

    /**
     * The wait before the first retry, doubled for each further one and capped at 120 s (default zero: retry
     * at once). With 100 ms: 0.1 s, 0.2 s, 0.4 s, ...
     *
     * @param backoffFactor zero or positive
     * @return this builder
     */
    public CrateClientBuilder backoffFactor(Duration backoffFactor) {
        this.backoffFactor = backoffFactor;
        return this;
    }

    /**
     * @param maxRetries retries on the next node after a failed attempt (default 3), zero or more
     * @return this builder
     */
    public CrateClientBuilder maxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
        return this;
    }

    /**
     * @param socketKeepalive whether to set {@code SO_KEEPALIVE} (default true)
     * @return this builder
     */
    public CrateClientBuilder socketKeepalive(boolean socketKeepalive) {
        this.socketKeepalive = socketKeepalive;
        return this;
    }

    /**
     * @param idle {@code TCP_KEEPIDLE}: idle time before the first keepalive probe (default: the OS's), whole
     *     seconds, at least 1 s; needs {@link #socketKeepalive}
     * @return this builder
     */
    public CrateClientBuilder tcpKeepIdle(Duration idle) {
        this.tcpKeepIdle = idle;
        return this;
    }

    /**
     * @param interval {@code TCP_KEEPINTVL}: time between keepalive probes (default: the OS's), whole seconds,
     *     at least 1 s; needs {@link #socketKeepalive}
     * @return this builder
     */
    public CrateClientBuilder tcpKeepInterval(Duration interval) {
        this.tcpKeepInterval = interval;
        return this;
    }

    /**
     * @param count {@code TCP_KEEPCNT}: unanswered probes before the connection is dropped (default: the
     *     OS's), at least 1; needs {@link #socketKeepalive}
     * @return this builder
     */
    public CrateClientBuilder tcpKeepCount(int count) {
        this.tcpKeepCount = count;
        return this;
    }

    /**
     * Any Netty channel option for every connection, e.g. {@code ChannelOption.TCP_NODELAY}. Applied after the
     * keepalive options, so it can override them.
     *
     * @param option the option
     * @param value its value; {@code null} removes an option set earlier
     * @param <T> the option's value type
     * @return this builder
     */
    public <T> CrateClientBuilder channelOption(ChannelOption<T> option, @Nullable T value) {
        Objects.requireNonNull(option, "option");
        if (value == null) {
            channelOptions.remove(option);
        } else {
            channelOptions.put(option, value);
        }
        return this;
    }

    /**
     * The event loops this client's connections run on. By default the open clients in the JVM share one set of
     * daemon threads named {@code crate-reactive-io-*}, one per available processor, stopped when the last client
     * closes. Reactor Netty's own default has at least four; on machines with fewer cores the connections spread
     * over more loops than there are cores and queries pay for hand-offs between them (20-50 % more CPU per query
     * on 2 cores, BENCHMARKS.md).
     * Pass e.g. {@code HttpResources.get()} to run on the loops a Reactor Netty or WebFlux server already uses.
     * The client never disposes loops given here.
     *
     * @param loops the event loops; {@code null} restores the default
     * @return this builder
     */
    public CrateClientBuilder loopResources(@Nullable LoopResources loops) {
        this.loopResources = loops;
        return this;
    }

    /**
     * @param nodeSelector the per-query node order (default {@link NodeSelector#roundRobin()}, one per client)
     * @return this builder
     */
    public CrateClientBuilder nodeSelector(NodeSelector nodeSelector) {
        this.nodeSelector = nodeSelector;
        return this;
    }

    /**
     * A Netty client SSL context for {@code https://} nodes (default: the JVM's trust store with host name
     * verification). Cannot be combined with {@link #tls(TlsConfiguration)}.
     *
     * @param sslContext a client context
     * @return this builder
     */
    public CrateClientBuilder sslContext(SslContext sslContext) {
        this.sslContext = sslContext;
        return this;
    }

    /**
     * TLS settings for {@code https://} nodes, e.g. {@code CrateTls} from {@code crate-reactive-tls}. Ignored
     * for {@code http://} nodes, as in the Python client.
     *
     * @param tls the TLS settings
     * @return this builder
     */
    public CrateClientBuilder tls(TlsConfiguration tls) {
        this.tls = tls;
        return this;
    }

    /**
     * @param maxConnections pooled connections per node (default 64), positive
     * @return this builder
     */
    public CrateClientBuilder maxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
        return this;
    }

    /**
     * @param bytes request bodies larger than this are gzipped (default 8 KiB; {@link #NO_COMPRESSION} never),
     *     zero or more
     * @return this builder
     */
    public CrateClientBuilder compressionThreshold(int bytes) {
        this.compressionThreshold = bytes;
        return this;
    }

    /**
     * @param maxIdleTime pooled connections idle longer are closed (default 30 s), positive
     * @return this builder
     */
    public CrateClientBuilder maxIdleTime(Duration maxIdleTime) {
        this.maxIdleTime = maxIdleTime;
        return this;
    }

    /**
     * How long a node that failed is skipped before it is tried again (default 30 s, like the Python client's
     * {@code retry_interval}); doubles with each further failure up to 30 minutes, and resets on success.
     *
     * @param interval positive
     * @return this builder
     */
    public CrateClientBuilder deadNodeRetryInterval(Duration interval) {
        this.deadNodeRetryInterval = interval;
        return this;
    }

    /**
     * The fetch size of every {@link CrateClient#sql(Statement) sql()} call whose statement sets none (see
     * {@link Statement#fetchSize(int)}): each such query reads its rows through a server-side cursor,
     * {@code rows} at a time, on a connection of its own. Applies only to statements that start with
     * {@code SELECT} or {@code VALUES}, the only ones CrateDB declares a cursor for ({@code WITH}, {@code SHOW},
     * {@code EXPLAIN} run as plain queries); not used by {@code execute} or {@code bulk}.
     *
     * @param rows rows per {@code FETCH}, or {@code 0} (the default) for plain queries that read the whole result
     *     in one response
     * @return this builder
     */
    public CrateClientBuilder defaultFetchSize(int rows) {
        this.defaultFetchSize = rows;
        return this;
    }

    /**
     * Whether cancelling a subscription, or a passed deadline, kills the statement's job on the server (default:
     * {@code true}). CrateDB keeps running a statement whose connection was closed, so the client looks the job
     * up in {@code sys.jobs} by the statement's tag, on the node that runs it, over another connection, and sends
     * {@code KILL}. This happens in the background, bounded in time, and never delays or fails the cancel. No
     * {@code KILL} is sent once the response has begun: CrateDB builds the whole response before it sends the
     * first byte, so the job has ended by then.
     *
     * @param cancelOnServer {@code false} to only close the connection
     * @return this builder
     */
    public CrateClientBuilder cancelOnServer(boolean cancelOnServer) {
        this.cancelOnServer = cancelOnServer;
        return this;
    }

    /**
     * The deadline of every call whose {@link Statement#timeout(Duration) statement} sets none, counted from
     * subscription and covering pool acquire, connect, retries, backoff and reading (default: none). A passed
     * deadline fails the call with {@link CrateTimeoutException} and kills the job like a cancel.
     *
     * @param timeout the deadline, positive
     * @return this builder
     */
    public CrateClientBuilder defaultTimeout(Duration timeout) {
        this.defaultTimeout = timeout;
        return this;
    }

    /**
     * Records metrics into this Micrometer registry (default: none). Micrometer is an optional dependency: the
     * client needs it only when this is called. Meters: timers {@code cratedb.client.calls} and
     * {@code cratedb.client.attempts}, counters {@code cratedb.client.retries}, {@code cratedb.client.node.dead},
     * {@code cratedb.client.kills}, {@code cratedb.client.rows}, {@code cratedb.client.bytes.sent},
     * {@code cratedb.client.bytes.received}, gauge {@code cratedb.client.nodes.dead}, and the connection pool's
     * {@code reactor.netty.connection.provider.*} gauges (see the README for tags).
     *
     * @param registry an {@code io.micrometer.core.instrument.MeterRegistry}
     * @return this builder
     */
    public CrateClientBuilder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
        this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
        return this;
    }

    /**
     * Reports each call as a Micrometer observation {@code cratedb.client.call} with one child
     * {@code cratedb.client.attempt} per attempt, keyed with the OpenTelemetry database conventions (default:
     * none). Parameter values are never recorded.
     *
     * @param registry an {@code io.micrometer.observation.ObservationRegistry}
     * @return this builder
     */
    public CrateClientBuilder observationRegistry(io.micrometer.observation.ObservationRegistry registry) {
        this.observationRegistry = Objects.requireNonNull(registry, "observationRegistry");
        return this;
    }

    /**
     * Refreshes the node list from {@code sys.nodes.rest_url} now and then every {@code interval} (default:
     * off). Found nodes get the scheme and path prefix of the first configured node and the client's
     * credentials; a node that does not answer {@code HEAD /} within the connect timeout is left out with a
     * warning; the configured nodes are never dropped.
     *
     * @param interval time between refreshes, positive
     * @return this builder
     */
    public CrateClientBuilder discoverNodes(Duration interval) {
        this.discoveryInterval = interval;
        return this;
    }

    /**
     * Validates the options and builds a client. Each call builds an independent client with its own pool.
     *
     * @return a new client
     * @throws IllegalArgumentException naming the first bad option and its value
     */
    public CrateClient build() {
        return new DefaultCrateClient(toConfig());
    }

    ClientConfig toConfig() {
        List<NodeAddress> addresses = new ArrayList<>();
        for (String node : nodes.isEmpty() ? List.of(CrateClient.DEFAULT_NODE) : nodes) {
            addresses.add(NodeAddress.parse(node));
        }
        return new ClientConfig(routingOptions(addresses), transportOptions(), requestOptions(addresses.get(0)),
            operabilityOptions());
    }

    private RoutingOptions routingOptions(List<NodeAddress> addresses) {
        List<Node> parsedNodes = addresses.stream().map(NodeAddress::node).distinct().toList();
        if (parsedNodes.size() != addresses.size()) {
            throw new IllegalArgumentException("nodes: the same node is listed twice in " + parsedNodes);
        }
        requireNotNegative("backoffFactor", backoffFactor);
        requirePositive("deadNodeRetryInterval", deadNodeRetryInterval);
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries: must be zero or more, was " + maxRetries);
        }
        NodeSelector selector = nodeSelector != null ? nodeSelector : NodeSelector.roundRobin();
        return new RoutingOptions(parsedNodes, selector, maxRetries, backoffFactor, deadNodeRetryInterval);
    }

    private TransportOptions transportOptions() {
        if (schema != null && schema.isBlank()) {
            throw new IllegalArgumentException("schema: must not be blank, was '" + schema + "'");
        }
        requirePositive("connectTimeout", connectTimeout);
        requireNotNegative("timeout", timeout);
        requirePositive("maxIdleTime", maxIdleTime);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections: must be positive, was " + maxConnections);
        }
        return new TransportOptions(schema, timeout, socketOptions(),
            new TransportOptions.Pool(maxConnections, maxIdleTime), tlsOptions());
    }

    private TransportOptions.Socket socketOptions() {
        Map<ChannelOption<?>, Object> options = new LinkedHashMap<>();
        options.put(ChannelOption.SO_KEEPALIVE, socketKeepalive);
        Integer idle = keepaliveSeconds("tcpKeepIdle", tcpKeepIdle);
        Integer interval = keepaliveSeconds("tcpKeepInterval", tcpKeepInterval);
        if (tcpKeepCount != null && tcpKeepCount < 1) {
            throw new IllegalArgumentException("tcpKeepCount: must be at least 1, was " + tcpKeepCount);
        }
        if (!socketKeepalive && (idle != null || interval != null || tcpKeepCount != null)) {
            throw new IllegalArgumentException("tcpKeepIdle/tcpKeepInterval/tcpKeepCount: need socketKeepalive(true)");
        }
        options.putAll(channelOptions);
        return new TransportOptions.Socket(connectTimeout, Map.copyOf(options),
            new TransportOptions.Keepalive(idle, interval, tcpKeepCount), true, loopResources);
    }

    private TransportOptions.Tls tlsOptions() {
        if (sslContext != null && tls != null) {
            throw new IllegalArgumentException("sslContext: cannot be combined with tls(...); choose one");
        }
        if (sslContext != null && !sslContext.isClient()) {
            throw new IllegalArgumentException("sslContext: must be a client context, was a server context");
        }
        SslContext context = tls != null ? Objects.requireNonNull(tls.sslContext(), "tls: sslContext()") : sslContext;
        return new TransportOptions.Tls(context, tls == null || tls.verifyHostname());
    }

    private RequestOptions requestOptions(NodeAddress first) {
        if (compressionThreshold < 0) {
            throw new IllegalArgumentException("compressionThreshold: must be zero or more, was " + compressionThreshold);
        }
        if (defaultFetchSize < 0) {
            throw new IllegalArgumentException("defaultFetchSize: must be zero (off) or positive, was "
                + defaultFetchSize);
        }
        return new RequestOptions(authorization(first), errorTrace, compressionThreshold, jwt != null && !staticJwt,
            defaultFetchSize);
    }

    private OperabilityOptions operabilityOptions() {
        if (defaultTimeout != null) {
            requirePositive("defaultTimeout", defaultTimeout);
        }
        if (discoveryInterval != null) {
            requirePositive("discoverNodes", discoveryInterval);
        }
        return new OperabilityOptions(cancelOnServer, defaultTimeout, discoveryInterval, meterRegistry,
            observationRegistry, OperabilityOptions.DEFAULTS.killTimeout());
    }

    private Supplier<String> authorization(NodeAddress first) {
        String user = username != null ? username : first.username();
        String pass = username != null ? password : first.password();
        if (username == null && password != null && user == null) {
            throw new IllegalArgumentException("password: a password needs a username");
        }
        if (user != null && jwt != null) {
            throw new IllegalArgumentException("jwt: cannot be combined with username (Basic authentication); choose one");
        }
        if (user != null) {
            if (user.isEmpty() || user.indexOf(':') >= 0) {
                throw new IllegalArgumentException("username: must be non-empty and contain no ':'");
            }
            String header = "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + (pass == null ? "" : pass)).getBytes(StandardCharsets.UTF_8));
            return () -> header;
        }
        if (jwt == null) {
            return null;
        }
        Supplier<String> tokens = jwt;
        return () -> {
            String token = tokens.get();
            if (token == null || token.isBlank()) {
                throw new IllegalStateException("jwt: the token supplier returned no token");
            }
            return "Bearer " + token;
        };
    }

    private static Integer keepaliveSeconds(String option, Duration value) {
        if (value == null) {
            return null;
        }
        if (value.isNegative() || value.toSeconds() < 1 || value.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException(option + ": must be a whole number of seconds, at least 1 s, was " + value);
        }
        return Math.toIntExact(value.toSeconds());
    }

    private static void requirePositive(String option, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(option + ": must be positive, was " + value);
        }
    }

    private static void requireNotNegative(String option, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(option + ": must be zero or positive, was " + value);
        }
    }

    /** @return the options, with credentials masked */
    @Override
    public String toString() {
        return "CrateClientBuilder[nodes=" + nodes.stream().map(NodeAddress::redact).toList()
            + ", username=" + (username == null ? "none" : "***") + ", password=" + (password == null ? "none" : "***")
            + ", jwt=" + (jwt == null ? "none" : "***") + ", schema=" + schema + "]";
    }
}
