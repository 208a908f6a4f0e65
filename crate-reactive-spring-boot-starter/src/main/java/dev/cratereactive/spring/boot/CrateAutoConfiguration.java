package dev.cratereactive.spring.boot;

import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateClientBuilder;
import dev.cratereactive.NodeSelector;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * Auto-configures one {@link CrateClient} from {@code cratedb.*} ({@link CrateProperties}) and every
 * {@link CrateClientBuilderCustomizer} bean. It backs off when the application defines its own {@code CrateClient}.
 * The client is closed (its connection pool with it) when the application context closes. When the application has
 * them, its Micrometer {@code MeterRegistry} and {@code ObservationRegistry} are bound to the client, and a reactive
 * health indicator named {@code cratedb} reports {@link CrateClient#health()}.
 */
@AutoConfiguration
@ConditionalOnClass(CrateClient.class)
@EnableConfigurationProperties(CrateProperties.class)
public class CrateAutoConfiguration implements BeanClassLoaderAware {

    private static final String CRATE_TLS = "dev.cratereactive.tls.CrateTls";

    private ClassLoader classLoader = CrateAutoConfiguration.class.getClassLoader();

    /** Creates the auto-configuration; Spring calls it. */
    public CrateAutoConfiguration() {
    }

    /** @param classLoader the application's class loader, where crate-reactive-tls is looked for */
    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /**
     * @param properties {@code cratedb.*}
     * @param customizers applied after the properties, in order
     * @return the client, built (and so validated) at start-up: a bad option fails the context naming it
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public CrateClient crateClient(CrateProperties properties, ObjectProvider<CrateClientBuilderCustomizer> customizers) {
        CrateClientBuilder builder = builder(properties, classLoader);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /** Binds the application's {@code MeterRegistry} (if it has one) to the client: {@code cratedb.client.*} meters. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    static class Metrics {
        @Bean
        CrateClientBuilderCustomizer crateMeterRegistryCustomizer(ObjectProvider<MeterRegistry> registry) {
            return builder -> registry.ifUnique(builder::meterRegistry);
        }
    }

    /** Binds the application's {@code ObservationRegistry} (if it has one): a call observation, a child per attempt. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.observation.ObservationRegistry")
    static class Observations {
        @Bean
        CrateClientBuilderCustomizer crateObservationRegistryCustomizer(ObjectProvider<ObservationRegistry> registry) {
            return builder -> registry.ifUnique(builder::observationRegistry);
        }
    }

    /** The {@code cratedb} health contributor, from {@link CrateClient#health()}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.ReactiveHealthIndicator")
    static class HealthIndicator {
        @Bean
        @ConditionalOnMissingBean(name = "cratedbHealthIndicator")
        CrateHealthIndicator cratedbHealthIndicator(CrateClient client) {
            return new CrateHealthIndicator(client);
        }
    }

    static CrateClientBuilder builder(CrateProperties properties, ClassLoader classLoader) {
        CrateClientBuilder builder = CrateClient.builder()
            .nodes(properties.getNodes())
            .connectTimeout(properties.getConnectTimeout())
            .timeout(properties.getTimeout())
            .errorTrace(properties.isErrorTrace())
            .backoffFactor(properties.getBackoffFactor())
            .maxRetries(properties.getMaxRetries())
            .compressionThreshold(properties.getCompressionThreshold())
            .deadNodeRetryInterval(properties.getDeadNodeRetryInterval())
            .nodeSelector(properties.getNodeOrder() == CrateProperties.NodeOrder.IN_ORDER
                ? NodeSelector.inOrder() : NodeSelector.roundRobin())
            .maxConnections(properties.getPool().getMaxConnections())
            .maxIdleTime(properties.getPool().getMaxIdleTime())
            .socketKeepalive(properties.getKeepalive().isEnabled())
            .cancelOnServer(properties.isCancelOnServer())
            .defaultFetchSize(properties.getDefaultFetchSize());
        if (properties.getDefaultTimeout() != null) {
            builder.defaultTimeout(properties.getDefaultTimeout());
        }
        if (properties.getDiscoverNodes() != null) {
            builder.discoverNodes(properties.getDiscoverNodes());
        }
        if (properties.getUsername() != null) {
            builder.username(properties.getUsername());
        }
        if (properties.getPassword() != null) {
            builder.password(properties.getPassword());
        }
        if (properties.getJwt() != null) {
            builder.jwt(properties.getJwt());
        }
        if (properties.getSchema() != null) {
            builder.schema(properties.getSchema());
        }
        CrateProperties.Keepalive keepalive = properties.getKeepalive();
        if (keepalive.getIdle() != null) {
            builder.tcpKeepIdle(keepalive.getIdle());
        }
        if (keepalive.getInterval() != null) {
            builder.tcpKeepInterval(keepalive.getInterval());
        }
        if (keepalive.getCount() != null) {
            builder.tcpKeepCount(keepalive.getCount());
        }
        if (properties.getTls().isConfigured()) {
            if (!ClassUtils.isPresent(CRATE_TLS, classLoader)) {
                throw new IllegalStateException(
                    "cratedb.tls.* is set but crate-reactive-tls is not on the class path: add dev.cratereactive:crate-reactive-tls");
            }
            builder.tls(CrateTlsFiles.toCrateTls(properties.getTls()));
        }
        return builder;
    }
}
