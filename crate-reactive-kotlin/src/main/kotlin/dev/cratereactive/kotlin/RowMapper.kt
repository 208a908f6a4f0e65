package dev.cratereactive.kotlin

import dev.cratereactive.Row
import dev.cratereactive.RowMetadata
import kotlin.reflect.KClass
import kotlin.reflect.KFunction
import kotlin.reflect.KParameter
import kotlin.reflect.full.primaryConstructor
import kotlin.reflect.jvm.isAccessible

/**
 * Maps rows to instances of a Kotlin class (typically a data class) through its primary constructor, matching
 * each constructor parameter to a column by name: the parameter's own name first (`id`), then its snake_case form
 * (`takenAt` -> `taken_at`). Values are converted to the parameter's type as [Row.get] with a class converts them.
 *
 * A parameter without a column takes its default value if it has one, else `null` if it is nullable, else mapping
 * fails with [IllegalArgumentException] naming the class and the parameter. Columns without a parameter are
 * ignored. Parameter names come from kotlin-reflect (the class's Kotlin metadata), so no compiler flag is needed.
 *
 * Thread-safe. The column positions are resolved once per result (per [RowMetadata]) and reused for its rows.
 *
 * @param T the target type
 * @param type its class; it must have a primary constructor
 * @throws IllegalArgumentException if [type] has no primary constructor
 */
public class RowMapper<T : Any>(private val type: KClass<T>) {

    private val constructor: KFunction<T> = requireNotNull(type.primaryConstructor) {
        "${type.qualifiedName} has no primary constructor to map rows to"
    }.also { it.isAccessible = true }

    private val parameters: List<KParameter> = constructor.parameters

    private val javaTypes: List<Class<*>> =
        parameters.map { ((it.type.classifier as? KClass<*>) ?: Any::class).javaObjectType }

    @Volatile
    private var plan: Plan? = null

    private class Plan(val metadata: RowMetadata, val columns: IntArray)

    /**
     * @return [row] as a [T]
     * @throws IllegalArgumentException if a required parameter has no column, or a value cannot be converted
     * @throws NullPointerException naming the column if it is NULL for a non-nullable parameter
     */
    public fun map(row: Row): T {
        val columns = planFor(row.metadata())
        val args = HashMap<KParameter, Any?>(parameters.size * 2)
        for (i in parameters.indices) {
            val parameter = parameters[i]
            val column = columns[i]
            if (column < 0) {
                when {
                    parameter.isOptional -> continue
                    parameter.type.isMarkedNullable -> args[parameter] = null
                    else -> throw IllegalArgumentException(
                        "${type.simpleName}.${parameter.name}: no column named ${parameter.name} or ${snake(parameter.name!!)}" +
                            " in ${row.metadata().columns().map { it.name() }}"
                    )
                }
            } else {
                val value = row.get(column, javaTypes[i])
                if (value == null && !parameter.type.isMarkedNullable) {
                    throw NullPointerException(
                        "${type.simpleName}.${parameter.name}: column ${row.metadata().columns()[column].name()} is NULL" +
                            " and the parameter is not nullable"
                    )
                }
                args[parameter] = value
            }
        }
        return constructor.callBy(args)
    }

    private fun planFor(metadata: RowMetadata): IntArray {
        val current = plan
        if (current != null && current.metadata === metadata) {
            return current.columns
        }
        val columns = IntArray(parameters.size) { i ->
            val name = parameters[i].name ?: return@IntArray -1
            metadata.indexOf(name).takeIf { it >= 0 } ?: metadata.indexOf(snake(name))
        }
        plan = Plan(metadata, columns)
        return columns
    }

    private companion object {
        private val UPPER = Regex("([A-Z])")

        fun snake(name: String): String = name.replace(UPPER, "_$1").lowercase()
    }
}
