package dev.cratereactive.internal.bulk;

import java.util.ArrayList;
import java.util.List;

/** Items that go out in one bulk request, and the size of that request's body. */
final class Batch<T> {

    final List<Pending<T>> rows;
    final long generation;
    long bodyBytes;

    Batch(int capacity, long generation, long emptyBodyBytes) {
        this.rows = new ArrayList<>(Math.min(capacity, 1024));
        this.generation = generation;
        this.bodyBytes = emptyBodyBytes;
    }

    /** @return the body size with {@code row} added: its bytes, plus a comma unless it is the first */
    long bytesWith(Pending<T> row) {
        return bodyBytes + row.size + (rows.isEmpty() ? 0 : 1);
    }

    void add(Pending<T> row) {
        bodyBytes = bytesWith(row);
        rows.add(row);
    }

    int size() {
        return rows.size();
    }
}
