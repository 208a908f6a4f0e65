/**
 * Metrics (Micrometer meters) and traces (Micrometer Observations) of calls and attempts, named once.
 *
 * <p>Internal: no compatibility promise. Names and signatures here may change in any release; use the API in
 * {@code dev.cratereactive}.
 */
package dev.cratereactive.internal.observe;
