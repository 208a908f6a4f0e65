package dev.cratereactive.internal.routing;

import dev.cratereactive.CrateException;
import dev.cratereactive.Node;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The failures of one call's attempts and the nodes it marked dead, shared by its attempts. Failures are rare:
 * the collections are made on the first one, so a call that succeeds allocates only this object.
 * Thread-safe (attempts fail on event-loop threads; a deadline reads them on a timer thread).
 */
final class Failures {

    private List<CrateException> failures;
    private Set<Node> markedDead;

    /** @param error an attempt's failure, in order */
    synchronized void add(CrateException error) {
        if (failures == null) {
            failures = new ArrayList<>(2);
        }
        failures.add(error);
    }

    /**
     * @param node the node an attempt blamed
     * @return whether this call had not marked it dead yet (retries on one node are one failure, not several)
     */
    synchronized boolean markDead(Node node) {
        if (markedDead == null) {
            markedDead = new HashSet<>(4);
        }
        return markedDead.add(node);
    }

    /** @return the failures so far, oldest first (a copy) */
    synchronized List<CrateException> list() {
        return failures == null ? List.of() : List.copyOf(failures);
    }
}
