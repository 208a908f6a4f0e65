package dev.cratereactive.tls;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** Walks an error's cause chain and suppressed exceptions, where retrying clients attach each node's failure. */
final class Failures {

    private Failures() {
    }

    /** @return the error, its causes and its suppressed exceptions (recursively), each once */
    static List<Throwable> all(Throwable error) {
        List<Throwable> found = new ArrayList<>();
        collect(error, found, Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    /** @return whether the error, a cause or a suppressed exception is a {@code type} */
    static boolean contains(Throwable error, Class<? extends Throwable> type) {
        return all(error).stream().anyMatch(type::isInstance);
    }

    /** @return the messages of the error, its causes and suppressed exceptions, joined by newlines */
    static String messages(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t : all(error)) {
            text.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        return text.toString();
    }

    private static void collect(Throwable error, List<Throwable> found, Set<Throwable> seen) {
        if (error == null || !seen.add(error)) {
            return;
        }
        found.add(error);
        collect(error.getCause(), found, seen);
        for (Throwable suppressed : error.getSuppressed()) {
            collect(suppressed, found, seen);
        }
    }
}
