/**
 * Spring Boot auto-configuration for crate-reactive: {@link dev.cratereactive.spring.boot.CrateProperties}
 * ({@code cratedb.*}), an auto-configured {@link dev.cratereactive.CrateClient} closed on shutdown, and
 * {@link dev.cratereactive.spring.boot.CrateClientBuilderCustomizer} for what properties cannot express.
 *
 * <p>Public API with a compatibility promise (property names included).
 */
@NullMarked
package dev.cratereactive.spring.boot;

import org.jspecify.annotations.NullMarked;
