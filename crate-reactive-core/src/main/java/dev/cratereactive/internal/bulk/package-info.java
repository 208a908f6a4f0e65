/**
 * The bulk writer's batching, in-flight bound, per-row retries and outcomes.
 *
 * <p>Internal: no compatibility promise. Names and signatures here may change in any release; use the API in
 * {@code dev.cratereactive}.
 */
package dev.cratereactive.internal.bulk;
