package dev.cratereactive.spring.boot;

import dev.cratereactive.CrateClientBuilder;

/**
 * Adjusts the auto-configured client's builder after the {@code cratedb.*} properties were applied: for what a
 * property cannot express (a JWT supplier, a custom {@link dev.cratereactive.NodeSelector}, Netty channel options,
 * an {@code SslContext}). Every bean of this type is applied, in {@link org.springframework.core.annotation.Order}.
 */
@FunctionalInterface
public interface CrateClientBuilderCustomizer {

    /** @param builder the builder, with the properties applied; change it in place */
    void customize(CrateClientBuilder builder);
}
