package dev.cratereactive.examples;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The CrateDB an example runs against ({@link ExampleNodes.Lookup#find}): its node URLs and, when the lookup started
 * it, the image; {@link #close()} stops what was started (once) and does nothing for a CrateDB that was already
 * running.
 */
public final class FoundCrateDb implements AutoCloseable {

    private final List<String> nodes;
    private final String startedImage;
    private final Runnable stop;
    private final AtomicBoolean stopped = new AtomicBoolean();

    /**
     * @param nodes the node URLs, at least one
     * @param startedImage the image that was started for this CrateDB
     * @param stop stops it; run once, by the first {@link #close()}
     * @return a CrateDB the lookup started
     */
    public static FoundCrateDb started(List<String> nodes, String startedImage, Runnable stop) {
        return new FoundCrateDb(nodes, Objects.requireNonNull(startedImage, "startedImage"), stop);
    }

    /**
     * @param nodes the node URLs, at least one
     * @return a CrateDB that was already running; closing it does nothing
     */
    public static FoundCrateDb running(List<String> nodes) {
        return new FoundCrateDb(nodes, null, () -> { });
    }

    private FoundCrateDb(List<String> nodes, String startedImage, Runnable stop) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("nodes: at least one node URL is needed");
        }
        this.nodes = List.copyOf(nodes);
        this.startedImage = startedImage;
        this.stop = Objects.requireNonNull(stop, "stop");
    }

    /** @return the node URLs */
    public List<String> nodes() {
        return nodes;
    }

    /** @return the image the lookup started for this CrateDB, or empty when it was already running */
    public Optional<String> startedImage() {
        return Optional.ofNullable(startedImage);
    }

    /** Stops the CrateDB if the lookup started it; later calls do nothing. */
    @Override
    public void close() {
        if (stopped.compareAndSet(false, true)) {
            stop.run();
        }
    }

    @Override
    public String toString() {
        return "FoundCrateDb" + ExampleNodes.redact(nodes) + (startedImage == null ? "" : " (started " + startedImage + ")");
    }
}
