package dev.cratereactive.flink;

import java.io.Serializable;
import java.util.List;

/**
 * Turns a stream element into the statement's parameters, in order. Serializable: it travels with the job graph.
 * Called on the task thread, once per element.
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface RowMapper<T> extends Serializable {

    /**
     * @param element the element the sink received
     * @return one value per statement parameter (values may be {@code null}); an exception fails the job
     */
    List<?> toRow(T element);
}
