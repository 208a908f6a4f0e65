package dev.cratereactive.testing;

import dev.cratereactive.CrateClient;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.cratedb.CrateDBContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Gives tests a real CrateDB (use it through {@link RealCrateDb}). Where the server comes from, in order:
 * <ol>
 *   <li>{@value #URL_VARIABLE}: one node URL, or a comma-separated list of the nodes of one cluster, e.g.
 *       {@code http://crate:secret@db1:4200,http://db2:4200} (credentials of the first URL apply to all);</li>
 *   <li>a Testcontainers CrateDB ({@value #IMAGE_VARIABLE}, default {@value #DEFAULT_IMAGE}), started once and
 *       shared by every test of the run, when a Docker engine is reachable;</li>
 *   <li>none: every test is skipped with {@value #NO_CRATEDB}.</li>
 * </ol>
 * The reason is also printed once per test JVM, so it shows in the build output.
 *
 * <p>Resolves {@link CrateDb} and {@link CrateClient} parameters; what they create is closed, and the tables
 * they registered are dropped, after each test.
 */
public final class CrateDbExtension implements ExecutionCondition, ParameterResolver {

    /** Environment variable with the node URL(s) of a running CrateDB. */
    public static final String URL_VARIABLE = "CRATEDB_URL";
    /** Environment variable naming the Docker image for the Testcontainers fallback. */
    public static final String IMAGE_VARIABLE = "CRATEDB_IMAGE";
    /** The image started when {@value #URL_VARIABLE} is not set and Docker is available. */
    public static final String DEFAULT_IMAGE = "crate:6.1";
    /** Why real-server tests are skipped when there is neither a URL nor Docker. */
    public static final String NO_CRATEDB = "no CRATEDB_URL and no Docker engine: real CrateDB tests skipped; "
        + "set CRATEDB_URL=http://host:4200 to run them";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CrateDbExtension.class);
    private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Target target = target(context);
        if (target.failure != null) {
            throw target.failure;
        }
        if (target.skipReason != null) {
            announce(target.skipReason);
            return ConditionEvaluationResult.disabled(target.skipReason);
        }
        announce("real CrateDB tests run against " + target.description);
        return ConditionEvaluationResult.enabled("real CrateDB at " + target.description);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == CrateDb.class || type == CrateClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Target target = target(context);
        if (target.skipReason != null) {
            throw new IllegalStateException(target.skipReason);
        }
        CrateDb db = context.getStore(NAMESPACE)
            .computeIfAbsent(CrateDb.class, key -> new CrateDb(target.urls()), CrateDb.class);
        return parameter.getParameter().getType() == CrateClient.class ? db.client() : db;
    }

    private static Target target(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(Target.class, key -> Target.resolve(), Target.class);
    }

    private static void announce(String message) {
        if (ANNOUNCED.compareAndSet(false, true)) {
            System.out.println("[crate-reactive] " + message);
        }
    }

    /** Where the real CrateDB is; closed (container stopped) when the test run ends. */
    private static final class Target implements AutoCloseable {

        private final List<String> urls;
        private final String description;
        private final String skipReason;
        private final CrateDBContainer container;
        private final RuntimeException failure;

        private Target(List<String> urls, String description, String skipReason, CrateDBContainer container,
                       RuntimeException failure) {
            this.urls = urls;
            this.description = description;
            this.skipReason = skipReason;
            this.container = container;
            this.failure = failure;
        }

        static Target resolve() {
            String configured = System.getenv(URL_VARIABLE);
            if (configured != null && !configured.isBlank()) {
                List<String> urls = Arrays.stream(configured.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
                return new Target(urls, URL_VARIABLE + "=" + String.join(",", CrateDb.redact(urls)), null, null, null);
            }
            if (!dockerAvailable()) {
                return new Target(List.of(), null, NO_CRATEDB, null, null);
            }
            String image = System.getenv().getOrDefault(IMAGE_VARIABLE, DEFAULT_IMAGE);
            CrateDBContainer container = new CrateDBContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("crate"))
                .withEnv("CRATE_HEAP_SIZE", "1g");
            try {
                container.start();
            } catch (RuntimeException e) {
                // Kept, not retried: every test class fails fast with the same cause instead of waiting again.
                return new Target(List.of(), null, null, null, new IllegalStateException("A Docker engine is available"
                    + " but the CrateDB container " + image + " did not start; set " + URL_VARIABLE
                    + " to use a running CrateDB instead", e));
            }
            String url = "http://" + container.getHost() + ":" + container.getMappedPort(4200);
            return new Target(List.of(url), "Testcontainers " + image + " at " + url, null, container, null);
        }

        List<String> urls() {
            return urls;
        }

        private static boolean dockerAvailable() {
            // Testcontainers logs every strategy it tried at ERROR; the one-line skip reason says it better.
            System.setProperty("org.slf4j.simpleLogger.log.org.testcontainers", "off");
            try {
                return DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                return false;
            } finally {
                System.clearProperty("org.slf4j.simpleLogger.log.org.testcontainers");
            }
        }

        @Override
        public void close() {
            if (container != null) {
                container.stop();
            }
        }
    }
}
