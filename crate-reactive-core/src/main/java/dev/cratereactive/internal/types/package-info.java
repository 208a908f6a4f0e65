/**
 * CrateDB type ids to Java values, and Java parameters to JSON.
 *
 * <p>Internal: no compatibility promise. Names and signatures here may change in any release; use the API in
 * {@code dev.cratereactive}.
 */
package dev.cratereactive.internal.types;
