package dev.cratereactive.testing;

import dev.cratereactive.CrateClient;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.cratedb.CrateDBContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Gives tests a real CrateDB of the {@link NodeSet} their {@link RealCrateDb} asks for. Where it comes from:
 * <ol>
 *   <li>the set's environment variables ({@link NodeSet#variables()}), e.g. {@code CRATEDB_URL} for
 *       {@link NodeSet#PLAIN}: one node URL, or a comma-separated list of the nodes of one cluster
 *       (credentials of the first URL apply to all);</li>
 *   <li>for {@link NodeSet#PLAIN} only, a Testcontainers CrateDB ({@value #IMAGE_VARIABLE}, default
 *       {@value #DEFAULT_IMAGE}), started once and shared by every test of the run, when a Docker engine is
 *       reachable;</li>
 *   <li>none: every test of the class is skipped with a reason naming the missing variables, and the reason in
 *       {@value #UNAVAILABLE_VARIABLE} when CI set it (the kit could not start).</li>
 * </ol>
 * Each class's server (or skip reason) is printed, and at the end of the run how many tests ran and were
 * skipped per node set, so both show in the build output.
 *
 * <p>For {@link NodeSet#CLUSTER} the node that tests may stop is started before the class and again after it,
 * whatever the outcome: other users of the cluster must find it running.
 *
 * <p>Resolves {@link CrateDb} and {@link CrateClient} parameters; what they create is closed, and the tables
 * they registered are dropped, after each test.
 */
public final class CrateDbExtension
    implements ExecutionCondition, ParameterResolver, BeforeAllCallback, AfterAllCallback, TestWatcher {

    /** Environment variable naming the Docker image for the Testcontainers fallback. */
    public static final String IMAGE_VARIABLE = "CRATEDB_IMAGE";
    /** The image started when {@code CRATEDB_URL} is not set and Docker is available. */
    public static final String DEFAULT_IMAGE = "crate:6.4.3";
    /** Environment variable with the reason no real CrateDB could be started (set by CI); added to skip reasons. */
    public static final String UNAVAILABLE_VARIABLE = "CRATEDB_UNAVAILABLE_REASON";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CrateDbExtension.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        NodeSet set = nodeSet(context);
        Target target = target(context, set);
        if (target.failure != null) {
            throw target.failure;
        }
        boolean classLevel = context.getTestMethod().isEmpty();
        if (target.skipReason != null) {
            if (classLevel) {
                context.getTestClass().ifPresent(type -> {
                    tally(context).skipped(set, testMethods(type));
                    System.out.println("[crate-reactive] " + type.getSimpleName() + " skipped: " + target.skipReason);
                });
            }
            return ConditionEvaluationResult.disabled(target.skipReason);
        }
        if (classLevel) {
            context.getTestClass().ifPresent(type ->
                System.out.println("[crate-reactive] " + type.getSimpleName() + " runs against " + target.description));
        }
        return ConditionEvaluationResult.enabled("real CrateDB at " + target.description);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        restartStoppableNode(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        restartStoppableNode(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == CrateDb.class || type == CrateClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        NodeSet set = nodeSet(context);
        Target target = target(context, set);
        if (target.skipReason != null) {
            throw new IllegalStateException(target.skipReason);
        }
        CrateDb db = context.getStore(NAMESPACE)
            .computeIfAbsent(CrateDb.class, key -> new CrateDb(set, target.urls, target.settings), CrateDb.class);
        return parameter.getParameter().getType() == CrateClient.class ? db.client() : db;
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        tally(context).ran(nodeSet(context));
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        tally(context).ran(nodeSet(context));
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        tally(context).skipped(nodeSet(context), 1);
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        tally(context).skipped(nodeSet(context), 1);
    }

    private static void restartStoppableNode(ExtensionContext context) {
        if (nodeSet(context) != NodeSet.CLUSTER) {
            return;
        }
        Target target = target(context, NodeSet.CLUSTER);
        if (target.skipReason == null) {
            // A no-op when the node answers; the kit's start command waits until it does.
            CrateDb.run(target.settings.get("CRATEDB_START_NODE_COMMAND"));
        }
    }

    private static NodeSet nodeSet(ExtensionContext context) {
        return context.getTestClass()
            .flatMap(type -> AnnotationSupport.findAnnotation(type, RealCrateDb.class))
            .map(RealCrateDb::value)
            .orElse(NodeSet.PLAIN);
    }

    private static Target target(ExtensionContext context, NodeSet set) {
        return context.getRoot().getStore(NAMESPACE)
            .computeIfAbsent(Target.class.getName() + "." + set, key -> Target.resolve(set), Target.class);
    }

    private static Tally tally(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(Tally.class, key -> new Tally(), Tally.class);
    }

    private static int testMethods(Class<?> type) {
        int count = 0;
        for (Method method : type.getDeclaredMethods()) {
            if (AnnotationSupport.isAnnotated(method, Testable.class)) {
                count++;
            }
        }
        return count;
    }

    /** How many tests ran and were skipped per node set; printed when the test run ends. */
    private static final class Tally implements AutoCloseable {

        private final Map<NodeSet, int[]> counts = new EnumMap<>(NodeSet.class);

        synchronized void ran(NodeSet set) {
            counts.computeIfAbsent(set, key -> new int[2])[0]++;
        }

        synchronized void skipped(NodeSet set, int tests) {
            counts.computeIfAbsent(set, key -> new int[2])[1] += tests;
        }

        @Override
        public synchronized void close() {
            List<String> parts = new ArrayList<>();
            counts.forEach((set, count) -> parts.add(set + ": " + count[0] + " run, " + count[1] + " skipped"));
            System.out.println("[crate-reactive] real CrateDB tests per node set: " + String.join("; ", parts));
        }
    }

    /** Where the real CrateDB of one node set is; closed (container stopped) when the test run ends. */
    private static final class Target implements AutoCloseable {

        private final List<String> urls;
        private final Map<String, String> settings;
        private final String description;
        private final String skipReason;
        private final CrateDBContainer container;
        private final RuntimeException failure;

        private Target(List<String> urls, Map<String, String> settings, String description, String skipReason,
                       CrateDBContainer container, RuntimeException failure) {
            this.urls = urls;
            this.settings = settings;
            this.description = description;
            this.skipReason = skipReason;
            this.container = container;
            this.failure = failure;
        }

        static Target resolve(NodeSet set) {
            Map<String, String> settings = new LinkedHashMap<>();
            List<String> missing = new ArrayList<>();
            for (String variable : set.variables()) {
                String value = System.getenv(variable);
                if (value == null || value.isBlank()) {
                    missing.add(variable);
                } else {
                    settings.put(variable, value.trim());
                }
            }
            if (missing.isEmpty()) {
                List<String> urls = Arrays.stream(settings.get(set.urlVariable()).split(","))
                    .map(String::trim).filter(s -> !s.isEmpty()).toList();
                return new Target(urls, Map.copyOf(settings), set + " " + set.urlVariable() + "="
                    + String.join(",", CrateDb.redact(urls)), null, null, null);
            }
            if (set == NodeSet.PLAIN && dockerAvailable()) {
                return container();
            }
            String unavailable = System.getenv(UNAVAILABLE_VARIABLE);
            String reason = "no " + String.join(", no ", missing) + (set == NodeSet.PLAIN ? " and no Docker engine" : "")
                + ": real CrateDB tests of node set " + set + " skipped; set " + String.join(", ", set.variables())
                + " (../shared/cratedb/cratedb.sh start prints them) to run them"
                + (unavailable == null || unavailable.isBlank() ? "" : " (" + unavailable.trim() + ")");
            return new Target(List.of(), Map.of(), null, reason, null, null);
        }

        private static Target container() {
            String image = System.getenv().getOrDefault(IMAGE_VARIABLE, DEFAULT_IMAGE);
            CrateDBContainer container = new CrateDBContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("crate"))
                .withEnv("CRATE_HEAP_SIZE", "1g");
            try {
                container.start();
            } catch (RuntimeException e) {
                // Kept, not retried: every test class fails fast with the same cause instead of waiting again.
                return new Target(List.of(), Map.of(), null, null, null, new IllegalStateException("A Docker engine is"
                    + " available but the CrateDB container " + image + " did not start; set CRATEDB_URL to use a"
                    + " running CrateDB instead", e));
            }
            String url = "http://" + container.getHost() + ":" + container.getMappedPort(4200);
            return new Target(List.of(url), Map.of(), "PLAIN Testcontainers " + image + " at " + url, null, container,
                null);
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
