package dev.cratereactive.internal.types;

import dev.cratereactive.ColumnMetadata;
import dev.cratereactive.CrateType;

/** One result column. */
record Column(String name, CrateType type) implements ColumnMetadata {

    @Override
    public String toString() {
        return name + " " + type;
    }
}
