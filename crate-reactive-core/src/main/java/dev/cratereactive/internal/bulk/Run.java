package dev.cratereactive.internal.bulk;

import java.util.concurrent.atomic.AtomicReference;

/** The state one {@code write} subscription shares between its batcher and its requests: why it stops. */
final class Run {

    private final AtomicReference<Throwable> finalError = new AtomicReference<>();
    private final AtomicReference<Throwable> sourceError = new AtomicReference<>();
    private volatile Batcher<?> batcher;

    void attach(Batcher<?> batcher) {
        this.batcher = batcher;
    }

    /** @return whether a final error stopped the run: nothing more is sent */
    boolean stopped() {
        return finalError.get() != null;
    }

    /**
     * A final error: take and send nothing more; the items not yet sent are dropped (they get no outcome).
     *
     * @param error the error the run fails with once the requests in flight are answered
     */
    void stop(Throwable error) {
        if (finalError.compareAndSet(null, error)) {
            batcher.stop();
        }
    }

    /** @param error the source's or the mapper's error: what was taken is still sent, then the run fails with it */
    void sourceFailed(Throwable error) {
        sourceError.compareAndSet(null, error);
    }

    /** @return the error to end the run with, or {@code null} */
    Throwable error() {
        Throwable fatal = finalError.get();
        Throwable source = sourceError.get();
        if (fatal != null && source != null && fatal != source) {
            fatal.addSuppressed(source);
        }
        return fatal != null ? fatal : source;
    }
}
