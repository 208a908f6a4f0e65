package dev.cratereactive.testing;

import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateClientBuilder;
import dev.cratereactive.Row;
import dev.cratereactive.SqlResult;
import dev.cratereactive.TlsConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * One test's view of the real CrateDB that {@link CrateDbExtension} found: its node set and URLs, clients for it,
 * unique names, clean-up, and the set's extras (JWT, PKI files, the commands that stop and start a cluster node). Everything it created is closed, and every registered clean-up statement (tables, users)
 * runs, when the test ends, whatever its outcome.
 *
 * <p>The blocking helpers ({@link #execute}, {@link #query}, {@link #refresh}) are for set-up and checks; the
 * behaviour under test goes through {@code StepVerifier}.
 */
public final class CrateDb implements AutoCloseable {

    /** Upper bound for one statement in the helpers: generous, a shared CI server may be slow. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final NodeSet nodeSet;
    private final List<String> urls;
    private final Map<String, String> settings;
    private final List<CrateClient> clients = new CopyOnWriteArrayList<>();
    private final Deque<String> cleanUps = new ConcurrentLinkedDeque<>();
    private volatile TlsConfiguration tls;
    private CrateClient client;

    CrateDb(NodeSet nodeSet, List<String> urls, Map<String, String> settings) {
        this.nodeSet = nodeSet;
        this.urls = List.copyOf(urls);
        this.settings = Map.copyOf(settings);
    }

    /** @return the kind of server this is */
    public NodeSet nodeSet() {
        return nodeSet;
    }

    /** @return a JWT the {@link NodeSet#AUTH} node accepts for {@link #jwtUser()} ({@code CRATEDB_JWT}) */
    public String jwt() {
        return setting(NodeSet.AUTH, "CRATEDB_JWT");
    }

    /** @return the user that {@link #jwt()} authenticates ({@code CRATEDB_JWT_USER}) */
    public String jwtUser() {
        return setting(NodeSet.AUTH, "CRATEDB_JWT_USER");
    }

    /**
     * @param file a file name in the {@link NodeSet#TLS} node's PKI directory ({@code CRATEDB_PKI}), e.g.
     *     {@code ca.pem}
     * @return its path
     */
    public Path pki(String file) {
        return Path.of(setting(NodeSet.TLS, "CRATEDB_PKI")).resolve(file);
    }

    /**
     * Makes {@link #builder()}, {@link #client()} and the clean-up client use this TLS configuration (a
     * {@link NodeSet#TLS} node needs one: its CA is not the JVM's).
     *
     * @param tls e.g. a {@code CrateTls}
     */
    public void useTls(TlsConfiguration tls) {
        this.tls = Objects.requireNonNull(tls, "tls");
    }

    /**
     * The JUnit resource lock ({@code @ResourceLock}) every {@link NodeSet#CLUSTER} test class holds (the
     * extension starts the stoppable node before and after each such class): two such classes running at once
     * would stop the node under each other, and two concurrent starts leave the kit's pid file pointing at the
     * loser, so that the next stop stops nothing.
     */
    public static final String STOPPABLE_NODE_LOCK = "crate-reactive.cluster.stoppable-node";

    /**
     * Stops one node of the {@link NodeSet#CLUSTER} ({@code CRATEDB_STOP_NODE_COMMAND}); waits at most 3 minutes,
     * then checks that one of the cluster's URLs stopped answering: a stop command that stops nothing (the kit's
     * pid file lost, see above) would otherwise let a failover test pass without a failure to survive.
     */
    public void stopNode() {
        run(setting(NodeSet.CLUSTER, "CRATEDB_STOP_NODE_COMMAND"));
        Await.until("a cluster node no longer answers after CRATEDB_STOP_NODE_COMMAND (if none does, the kit's pid"
            + " file of the node is missing: kill the node's java process and run CRATEDB_START_NODE_COMMAND)",
            Duration.ofSeconds(30), () -> urlsWithoutCredentials().stream().anyMatch(url -> !answers(url)));
    }

    private static boolean answers(String url) {
        try {
            java.net.HttpURLConnection connection = (java.net.HttpURLConnection) URI.create(url + "/").toURL()
                .openConnection();
            connection.setRequestMethod("HEAD");
            connection.setConnectTimeout(1_000);
            connection.setReadTimeout(2_000);
            try {
                return connection.getResponseCode() > 0;
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Starts the node {@link #stopNode()} stops and waits until it answers ({@code CRATEDB_START_NODE_COMMAND}); a
     * no-op when it runs. The extension also calls it before and after every cluster test class.
     */
    public void startNode() {
        run(setting(NodeSet.CLUSTER, "CRATEDB_START_NODE_COMMAND"));
    }

    private String setting(NodeSet required, String variable) {
        if (nodeSet != required) {
            throw new IllegalStateException(variable + " belongs to node set " + required + "; this test runs on "
                + nodeSet + " (use @RealCrateDb(NodeSet." + required + "))");
        }
        return settings.get(variable);
    }

    /**
     * Runs the kit's node commands one at a time in this JVM (a second line of defence beside the resource lock),
     * each in a session of its own where {@code setsid} exists: the kit records the pid of the {@code su} that a
     * start leaves running, and a signal to the process group of whatever ran the build (a CI job cancelled, a
     * shell's job control) would end that {@code su} but not the node below it, so the next stop would find no
     * process to stop.
     *
     * @param command a shell command; fails the test if it does not exit 0 within 3 minutes
     */
    static synchronized void run(String command) {
        try {
            List<String> shell = Files.isExecutable(Path.of("/usr/bin/setsid"))
                ? List.of("/usr/bin/setsid", "--wait", "sh", "-c", command) : List.of("sh", "-c", command);
            Process process = new ProcessBuilder(shell).inheritIO().start();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("command did not finish within 3 minutes: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("command exited with " + process.exitValue() + ": " + command);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("command failed: " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running: " + command, e);
        }
    }

    /** @return the node URLs as configured; they may carry credentials, so never print them (see {@link #redact}) */
    public List<String> urls() {
        return urls;
    }

    /** @return the node URLs without user information (to build clients with other credentials) */
    public List<String> urlsWithoutCredentials() {
        return urls.stream().map(url -> {
            URI uri = uri(url);
            return uri.getUserInfo() == null ? url : uri.getScheme() + "://" + uri.getRawAuthority()
                .substring(uri.getRawAuthority().indexOf('@') + 1) + (uri.getRawPath() == null ? "" : uri.getRawPath());
        }).toList();
    }

    /** @return whether several nodes are configured */
    public boolean isMultiNode() {
        return urls.size() > 1;
    }

    /** @return whether any node is reached over HTTPS */
    public boolean isSecure() {
        return urls.stream().anyMatch(url -> "https".equalsIgnoreCase(uri(url).getScheme()));
    }

    /**
     * @param index a position in {@link #urls()}
     * @return that node's URL as a URI ({@code http://} added when the URL had no scheme)
     */
    public URI uri(int index) {
        return uri(urls.get(index));
    }

    /**
     * @param index a position in {@link #urls()}
     * @return that node's TCP port, with the client's defaults (4200 for a bare host, 80/443 for a URL)
     */
    public int port(int index) {
        URI uri = uri(index);
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        if (!urls.get(index).contains("://")) {
            return 4200;
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** @return the user named in the first URL, or {@code null} */
    public String username() {
        String info = uri(0).getUserInfo();
        return info == null ? null : info.split(":", 2)[0];
    }

    /** @return the password in the first URL, or {@code null} */
    public String password() {
        String info = uri(0).getUserInfo();
        return info == null || info.indexOf(':') < 0 ? null : info.split(":", 2)[1];
    }

    /** @return a builder for all configured nodes (credentials of the first URL included) */
    public CrateClientBuilder builder() {
        return withTls(CrateClient.builder().nodes(urls));
    }

    /**
     * A builder for other addresses (a proxy, a dead port) with the configured credentials.
     *
     * @param nodes node URLs without credentials
     * @return a builder for them
     */
    public CrateClientBuilder builder(List<String> nodes) {
        CrateClientBuilder builder = withTls(CrateClient.builder().nodes(nodes));
        if (username() != null) {
            builder.username(username()).password(password());
        }
        return builder;
    }

    private CrateClientBuilder withTls(CrateClientBuilder builder) {
        TlsConfiguration configured = tls;
        return configured == null ? builder : builder.tls(configured);
    }

    /** @return the shared client for all nodes with default options, created on first use */
    public synchronized CrateClient client() {
        if (client == null) {
            client = track(builder().build());
        }
        return client;
    }

    /**
     * @param customizer adjusts a {@link #builder()}
     * @return a new client, closed after the test
     */
    public CrateClient client(UnaryOperator<CrateClientBuilder> customizer) {
        return track(customizer.apply(builder()).build());
    }

    /**
     * @param client a client the test built itself
     * @param <C> its type
     * @return the same client, now closed after the test
     */
    public <C extends CrateClient> C track(C client) {
        clients.add(Objects.requireNonNull(client, "client"));
        return client;
    }

    /**
     * @param prefix lower-case letters, digits and underscores
     * @return {@code prefix_} and eight random hex digits, e.g. {@code it_types_0a1b2c3d}
     */
    public String uniqueName(String prefix) {
        return prefix + "_" + String.format("%08x", ThreadLocalRandom.current().nextInt());
    }

    /**
     * @param prefix the table name's start
     * @return a new unique, schema-qualified table name in {@code doc}, dropped after the test
     */
    public String newTable(String prefix) {
        String table = "doc." + uniqueName(prefix);
        dropAfterTest(table);
        return table;
    }

    /** @param qualifiedTable a table to drop (if it exists) after the test */
    public void dropAfterTest(String qualifiedTable) {
        cleanUpAfterTest("DROP TABLE IF EXISTS " + qualifiedTable);
    }

    /** @param sql a statement to run after the test (in reverse order of registration); its failure is only reported */
    public void cleanUpAfterTest(String sql) {
        cleanUps.push(sql);
    }

    /**
     * @param sql a statement
     * @param args its parameters
     * @return its result, waiting at most {@link #TIMEOUT}
     */
    public SqlResult execute(String sql, Object... args) {
        return client().execute(sql, args).block(TIMEOUT);
    }

    /**
     * @param sql a query
     * @param args its parameters
     * @return all its rows, waiting at most {@link #TIMEOUT}
     */
    public List<Row> query(String sql, Object... args) {
        return client().sql(sql, args).collectList().block(TIMEOUT);
    }

    /** @param table makes everything written to it so far visible to reads */
    public void refresh(String table) {
        execute("REFRESH TABLE " + table);
    }

    /** Runs the clean-up statements on a fresh client, then closes every client. */
    @Override
    public void close() {
        List<String> failures = new ArrayList<>();
        if (!cleanUps.isEmpty()) {
            try (CrateClient cleaner = builder().build()) {
                for (String sql : cleanUps) {
                    try {
                        cleaner.execute(sql).block(TIMEOUT);
                    } catch (RuntimeException e) {
                        failures.add(sql + ": " + e.getMessage());
                    }
                }
            }
        }
        clients.forEach(CrateClient::close);
        failures.forEach(failure -> System.err.println("[crate-reactive] clean-up failed: " + failure));
    }

    /**
     * @param urls node URLs
     * @return the same URLs without user information, safe to print
     */
    public static List<String> redact(List<String> urls) {
        return urls.stream().map(url -> {
            URI uri = uri(url);
            return uri.getUserInfo() == null ? url : uri.getScheme() + "://***@" + uri.getHost()
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + (uri.getRawPath() == null ? "" : uri.getRawPath());
        }).toList();
    }

    private static URI uri(String url) {
        return URI.create(url.contains("://") ? url : "http://" + url);
    }
}
