package dev.cratereactive.internal.types;

import dev.cratereactive.ColumnMetadata;
import dev.cratereactive.CrateType;
import dev.cratereactive.RowMetadata;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The columns of one response, built once and shared by all its rows. Name lookups go through hash maps made
 * on the first lookup (most responses are read by index only), so {@link #indexOf(String)} costs the same for
 * every row after that. Immutable.
 */
public final class Columns implements RowMetadata {

    /** No columns: statements without a result set, or a response without {@code cols}. */
    public static final Columns EMPTY = new Columns(new String[0], new CrateType[0]);

    private final String[] names;
    private final CrateType[] types;
    private final List<ColumnMetadata> columns;
    /*
     * Worked out when the decoder first asks, so execute and bulk answers (whose rows are never built) skip it.
     * Written on the decoding thread before any row exists, so rows on other threads see it through their own
     * publication; EMPTY, shared, has no layout and may be worked out twice, alike.
     */
    private MixedRows.@Nullable Layout layout;
    private boolean layoutKnown;
    /** Made on the first name lookup; a race makes it twice, equal, which is harmless (the maps are final). */
    private Index index;

    /**
     * @param names the column names from {@code cols}
     * @param types the type of each column, {@link CrateType#NOT_SUPPORTED} where unknown; same length as
     *     {@code names}
     * @throws IllegalArgumentException if the lengths differ
     */
    public Columns(String[] names, CrateType[] types) {
        if (names.length != types.length) {
            throw new IllegalArgumentException(names.length + " names but " + types.length + " types");
        }
        this.names = names.clone();
        this.types = types.clone();
        ColumnMetadata[] list = new ColumnMetadata[names.length];
        for (int i = 0; i < names.length; i++) {
            list[i] = new Column(names[i], types[i]);
        }
        columns = Collections.unmodifiableList(Arrays.asList(list));
    }

    /** @return whether rows of this result keep numbers and timestamps unboxed ({@link StoredRow#of(Columns,
     *     Object[], long[], int)}) */
    public boolean unboxedRows() {
        if (!layoutKnown) {
            layout = MixedRows.layout(types);
            layoutKnown = true;
        }
        return layout != null;
    }

    /**
     * @param column a column index, once {@link #unboxedRows()} was asked
     * @return the column's reader if rows keep its values unboxed, else {@code null}
     */
    public @Nullable PrimitiveReader unboxedReader(int column) {
        return layout == null ? null : layout.primitives[column];
    }

    /**
     * @param column a column index, when {@link #unboxedRows()}
     * @return its slot in the {@code refs} or the {@code longs} of {@link StoredRow#of(Columns, Object[], long[], int)}
     */
    public int slot(int column) {
        return layout.slots[column];
    }

    MixedRows.Layout layout() {
        return layout;
    }

    @Override
    public List<ColumnMetadata> columns() {
        return columns;
    }

    @Override
    public int indexOf(String name) {
        if (name == null) {
            return -1;
        }
        Index lookup = index;
        if (lookup == null) {
            lookup = new Index(names);
            index = lookup;
        }
        Integer found = lookup.exact.get(name);
        if (found == null) {
            found = lookup.folded.get(name.toLowerCase(Locale.ROOT));
        }
        return found == null ? -1 : found;
    }

    /** Name to index, exact and case-folded; the first of equal names wins. */
    private static final class Index {
        final Map<String, Integer> exact;
        final Map<String, Integer> folded;

        Index(String[] names) {
            exact = new HashMap<>(names.length * 2);
            folded = new HashMap<>(names.length * 2);
            for (int i = 0; i < names.length; i++) {
                exact.putIfAbsent(names[i], i);
                folded.putIfAbsent(names[i].toLowerCase(Locale.ROOT), i);
            }
        }
    }

    /** @return the number of columns */
    public int size() {
        return names.length;
    }

    String name(int index) {
        return names[index];
    }

    CrateType type(int index) {
        return types[index];
    }

    /**
     * @param name a column name
     * @return its index
     * @throws IllegalArgumentException naming the columns there are, if there is no such column
     */
    int require(String name) {
        int index = indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no column '" + name + "'; the columns are " + Arrays.toString(names));
        }
        return index;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Columns other && columns.equals(other.columns);
    }

    @Override
    public int hashCode() {
        return columns.hashCode();
    }

    @Override
    public String toString() {
        return columns.toString();
    }
}
