/**
 * An Apache Flink (2.x) Sink V2 for CrateDB over crate-reactive's {@link dev.cratereactive.BulkWriter}:
 * {@link dev.cratereactive.flink.CrateSink}. Each parallel subtask writes through one bulk writer and one client;
 * a checkpoint completes only when every row the sink accepted before it is acknowledged by CrateDB.
 */
@NullMarked
package dev.cratereactive.flink;

import org.jspecify.annotations.NullMarked;
