package dev.cratereactive.internal.bulk;

import dev.cratereactive.CrateError;
import java.util.List;

/**
 * One item on its way: its parameters, their encoded size, and how often it was sent. Mutated only by the one
 * batch that holds it at a time (Reactor's operators order those accesses).
 */
final class Pending<T> {

    final T item;
    final List<?> args;
    /** Bytes of this row in {@code bulk_args}, as RequestEncoder writes it. */
    final int size;
    int attempts;
    CrateError lastError;
    /** A request with this row was written and not answered: it may be in the table. */
    boolean mayHaveBeenWritten;

    Pending(T item, List<?> args, int size) {
        this.item = item;
        this.args = args;
        this.size = size;
    }
}
