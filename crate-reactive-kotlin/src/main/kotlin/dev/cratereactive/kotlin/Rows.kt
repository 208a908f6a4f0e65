package dev.cratereactive.kotlin

import dev.cratereactive.Row
import kotlin.reflect.KClass
import kotlin.reflect.typeOf

/**
 * The value of column [name] converted to [T], e.g. `row.get<Long>("id")` or `row.get<String?>("note")`.
 *
 * Conversion is the core's ([Row.get] with a class): numbers widen and narrow, timestamps become `Instant`, etc.
 *
 * @throws IllegalArgumentException if there is no column [name], or the value cannot be converted to [T]
 * @throws NullPointerException naming the column if the value is NULL and [T] is not nullable
 */
public inline fun <reified T> Row.get(name: String): T =
    nullChecked(get(name, javaTypeOf<T>()), typeOf<T>().isMarkedNullable, name) as T

/** The value at zero-based column [index] converted to [T]; see [get] by name. */
public inline fun <reified T> Row.get(index: Int): T =
    nullChecked(get(index, javaTypeOf<T>()), typeOf<T>().isMarkedNullable, index) as T

/** Maps this row to [T] by column name; see [RowMapper]. For many rows, reuse one [RowMapper]. */
public inline fun <reified T : Any> Row.mapTo(): T = RowMapper(T::class).map(this)

/** @return the boxed Java class for [T] (`java.lang.Long` for `Long`), as [Row.get] expects */
@PublishedApi
internal inline fun <reified T> javaTypeOf(): Class<*> =
    ((typeOf<T>().classifier as? KClass<*>) ?: Any::class).javaObjectType

@PublishedApi
internal fun nullChecked(value: Any?, nullable: Boolean, column: Any): Any? {
    if (value == null && !nullable) {
        throw NullPointerException("column $column is NULL; ask for a nullable type, e.g. get<Long?>(...)")
    }
    return value
}
