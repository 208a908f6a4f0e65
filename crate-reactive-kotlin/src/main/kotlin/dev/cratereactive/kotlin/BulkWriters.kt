package dev.cratereactive.kotlin

import dev.cratereactive.BulkOutcome
import dev.cratereactive.BulkWriter
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.reactive.asFlow
import kotlinx.coroutines.reactor.asFlux

/**
 * Writes [items] through this bulk writer: one [BulkOutcome] per item, as CrateDB answers. Nothing runs until the
 * returned flow is collected; the writer takes items from [items] only as its bounds allow (at most
 * `maxInFlight × maxRows + maxRows` items without an outcome), so a slow collector slows the source. Cancelling the
 * collection cancels the writes in flight: their items may or may not have been written.
 */
public fun <T : Any> BulkWriter<T>.write(items: Flow<T>): Flow<BulkOutcome<T>> = write(items.asFlux()).asFlow()
