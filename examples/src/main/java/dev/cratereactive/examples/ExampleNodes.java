package dev.cratereactive.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Where the examples find CrateDB. Every example runs one {@link Lookup}, in this order:
 * <ol>
 *   <li>{@value #URL_VARIABLE} (one URL, or a comma-separated list of the nodes of one cluster): used as given; when
 *       none of its nodes answers, the example stops there;</li>
 *   <li>otherwise {@value #DEFAULT_NODE}, when it answers;</li>
 *   <li>otherwise, when a Docker engine is reachable, a CrateDB container started with Testcontainers (image
 *       {@value #DEFAULT_IMAGE}, or {@value #IMAGE_VARIABLE}), stopped when the example ends;</li>
 *   <li>otherwise {@link NoCrateDbException}: the example prints how to get a CrateDB and exits with
 *       {@value #NOT_FOUND_STATUS}.</li>
 * </ol>
 * Whether a node answers is a quick TCP probe, so an example says within seconds that there is no CrateDB instead of
 * waiting for a connect timeout.
 */
public final class ExampleNodes {

    /** The environment variable with the node URL(s) of a running CrateDB. */
    public static final String URL_VARIABLE = "CRATEDB_URL";
    /** The environment variable naming the image started when no CrateDB answers (default {@value #DEFAULT_IMAGE}). */
    public static final String IMAGE_VARIABLE = "CRATEDB_IMAGE";
    /** The node tried when {@value #URL_VARIABLE} is not set. */
    public static final String DEFAULT_NODE = "http://localhost:4200";
    /** The image started with Testcontainers when {@value #IMAGE_VARIABLE} is not set. */
    public static final String DEFAULT_IMAGE = "crate:6.4.3";
    /**
     * System property that replaces {@value #DEFAULT_NODE} as the local node tried before starting a container, e.g.
     * {@code -Dcratedb.local-node=http://localhost:4299} (for a CrateDB on another port, or to try the other steps
     * while a CrateDB runs on port 4200).
     */
    public static final String LOCAL_NODE_PROPERTY = "cratedb.local-node";
    /** How long the probe waits for a TCP connection to each node. */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** The exit status of an example that found no CrateDB. */
    public static final int NOT_FOUND_STATUS = 2;

    private ExampleNodes() {
    }

    /** An example's body: what it does with the nodes it was given. */
    @FunctionalInterface
    public interface Example {
        /**
         * @param nodes the CrateDB node URLs
         * @throws Exception when the example fails; the container, if one was started, is stopped all the same
         */
        void run(List<String> nodes) throws Exception;
    }

    /** Starts a CrateDB (in tests: a stand-in) from an image name. */
    @FunctionalInterface
    public interface Starter {
        /**
         * @param image the Docker image, e.g. {@value #DEFAULT_IMAGE}
         * @return the running CrateDB; closing it stops it
         * @throws RuntimeException when it cannot be started
         */
        FoundCrateDb start(String image);
    }

    /**
     * One way of finding CrateDB; {@link #fromEnvironment()} is the one the examples use, the others are for tests.
     *
     * @param configured the value of {@value #URL_VARIABLE}, or {@code null} when it is not set
     * @param localNode the node tried when {@code configured} is not set
     * @param image the image {@code starter} starts
     * @param dockerAvailable whether a Docker engine is reachable (asked only when no node answers)
     * @param starter starts a CrateDB from {@code image}
     */
    public record Lookup(String configured, String localNode, String image, BooleanSupplier dockerAvailable,
                         Starter starter) {

        /** @throws NullPointerException when any argument but {@code configured} is null */
        public Lookup {
            Objects.requireNonNull(localNode, "localNode");
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(dockerAvailable, "dockerAvailable");
            Objects.requireNonNull(starter, "starter");
        }

        /**
         * @return the lookup from {@value #URL_VARIABLE}, {@value #LOCAL_NODE_PROPERTY} (default
         *     {@value #DEFAULT_NODE}) and {@value #IMAGE_VARIABLE} (default {@value #DEFAULT_IMAGE}), with
         *     Testcontainers for Docker
         */
        public static Lookup fromEnvironment() {
            String image = System.getenv(IMAGE_VARIABLE);
            return new Lookup(System.getenv(URL_VARIABLE), System.getProperty(LOCAL_NODE_PROPERTY, DEFAULT_NODE),
                image == null || image.isBlank() ? DEFAULT_IMAGE : image.trim(),
                CrateDbContainers::dockerAvailable, CrateDbContainers::start);
        }

        /**
         * Finds CrateDB, starting a container if it comes to that; says so on {@code out} in one line, with its URL.
         *
         * @param out where the line about a started container goes
         * @return the CrateDB found; close it when done (it stops the container, if one was started)
         * @throws NoCrateDbException with what to do about it, when there is none
         */
        public FoundCrateDb find(PrintStream out) {
            boolean given = configured != null && !configured.isBlank();
            List<String> nodes = given ? parse(configured) : List.of(localNode);
            if (anyReachable(nodes, PROBE_TIMEOUT)) {
                return FoundCrateDb.running(nodes);
            }
            if (given || !dockerAvailable.getAsBoolean()) {
                throw new NoCrateDbException(notFoundMessage(nodes, image, given ? "."
                    : ", and no Docker engine is reachable to start one."));
            }
            // One line: the first half while the image is pulled and started (it can take a minute), then the URL.
            out.print("No CrateDB at " + String.join(", ", redact(nodes)) + ": starting " + image
                + " with Testcontainers... ");
            out.flush();
            FoundCrateDb started;
            try {
                started = starter.start(image);
            } catch (RuntimeException e) {
                out.println("failed.");
                throw new NoCrateDbException(notFoundMessage(nodes, image, ", and the container " + image
                    + " did not start: " + e), e);
            }
            out.println("running at " + String.join(", ", started.nodes()) + " (stopped when the example ends)");
            return started;
        }

        /**
         * Finds CrateDB and runs the example against it, then stops the container, if one was started.
         *
         * @param example the example
         * @param out where the line about a started container goes
         * @param err where the message goes when there is no CrateDB
         * @return {@code 0} when the example ran, {@value #NOT_FOUND_STATUS} when there is no CrateDB
         * @throws Exception what the example threw
         */
        public int run(Example example, PrintStream out, PrintStream err) throws Exception {
            FoundCrateDb crate;
            try {
                crate = find(out);
            } catch (NoCrateDbException e) {
                err.println(e.getMessage());
                return NOT_FOUND_STATUS;
            }
            try (crate) {
                example.run(crate.nodes());
            }
            return 0;
        }
    }

    /**
     * The examples' {@code main}: runs {@code example} with the {@linkplain Lookup#fromEnvironment() environment's
     * lookup} on {@code System.out}/{@code System.err}, then exits with its status (0, or {@value #NOT_FOUND_STATUS}
     * when there is no CrateDB). Exiting explicitly, once the container is stopped, means no non-daemon thread left
     * behind (by the Docker client, say) keeps {@code exec:java} waiting for it.
     *
     * @param example the example
     * @throws Exception what the example threw (the container, if any, is stopped by then)
     */
    public static void runAndExit(Example example) throws Exception {
        int status = Lookup.fromEnvironment().run(example, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /** No CrateDB was found, nor could one be started; the message says what was tried and how to get one. */
    public static final class NoCrateDbException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        NoCrateDbException(String message) {
            super(message);
        }

        NoCrateDbException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * @param urls a comma-separated list, or {@code null}
     * @return the trimmed, non-empty entries, or {@value #DEFAULT_NODE} when there are none
     */
    public static List<String> parse(String urls) {
        List<String> nodes = urls == null ? List.of()
            : Arrays.stream(urls.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return nodes.isEmpty() ? List.of(DEFAULT_NODE) : nodes;
    }

    /**
     * Opens (and closes) a TCP connection to each node until one answers.
     *
     * @param nodes node URLs ({@code host}, {@code host:port} or {@code http(s)://...})
     * @param timeout the wait per node
     * @return whether any node accepted a connection
     */
    public static boolean anyReachable(List<String> nodes, Duration timeout) {
        for (String node : nodes) {
            URI uri = URI.create(node.contains("://") ? node : "http://" + node);
            int port = uri.getPort() > 0 ? uri.getPort()
                : !node.contains("://") ? 4200 : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), port), (int) timeout.toMillis());
                return true;
            } catch (IOException | IllegalArgumentException e) {
                // try the next node
            }
        }
        return false;
    }

    /**
     * @param nodes the nodes that were tried
     * @return what to tell the user when none answered: what was tried and the two ways to a CrateDB
     */
    public static String notFoundMessage(List<String> nodes) {
        return notFoundMessage(nodes, DEFAULT_IMAGE, ".");
    }

    private static String notFoundMessage(List<String> nodes, String image, String why) {
        return "No CrateDB found at " + String.join(", ", redact(nodes)) + why + "\n"
            + "Start one with:   docker run --rm -p 4200:4200 " + image + "\n"
            + "or point the examples at yours:   " + URL_VARIABLE + "=http://host:4200 (comma-separate several nodes)";
    }

    /**
     * @param nodes node URLs, possibly with credentials
     * @return the same URLs with any user information replaced by {@code ***}
     */
    public static List<String> redact(List<String> nodes) {
        return nodes.stream().map(node -> node.replaceFirst("//[^/@]*@", "//***@")).toList();
    }
}
