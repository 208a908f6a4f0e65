package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cratereactive.internal.ClientConfig;
import dev.cratereactive.internal.transport.TransportOptions;
import io.netty.channel.ChannelOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CrateClientBuilderTest {

    @Test
    void defaultsToLocalhost4200WithDocumentedDefaults() {
        ClientConfig config = CrateClient.builder().toConfig();
        assertThat(config.routing().nodes()).extracting(Node::toString).containsExactly("http://localhost:4200");
        assertThat(config.request().authorization()).isNull();
        assertThat(config.transport().schema()).isNull();
        assertThat(config.transport().socket().connectTimeout()).isEqualTo(CrateClientBuilder.DEFAULT_CONNECT_TIMEOUT);
        assertThat(config.transport().timeout()).isEqualTo(CrateClientBuilder.DEFAULT_TIMEOUT);
        assertThat(config.routing().backoffFactor()).isEqualTo(Duration.ZERO);
        assertThat(config.routing().maxRetries()).isEqualTo(CrateClientBuilder.DEFAULT_MAX_RETRIES);
        assertThat(config.transport().socket().channelOptions()).containsEntry(ChannelOption.SO_KEEPALIVE, true);
        assertThat(config.transport().socket().keepalive().isSet()).isFalse();
        assertThat(config.transport().pool().maxConnections()).isEqualTo(64);
        assertThat(config.request().compressionThreshold()).isEqualTo(8192);
        assertThat(config.transport().pool().maxIdleTime()).isLessThan(Duration.ofSeconds(60));
        assertThat(config.transport().tls().verifyHostname()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "db1, http://db1:4200",
        "db1:4201, http://db1:4201",
        "127.0.0.1, http://127.0.0.1:4200",
        "[::1]:4300, http://[::1]:4300",
        "::1, http://[::1]:4200",
        "http://db1, http://db1:80",
        "https://db1, https://db1:443",
        "https://db1:4200/, https://db1:4200",
        "HTTPS://db1:4200/crate/proxy/, https://db1:4200/crate/proxy",
        "http://user:pw@db1:4200, http://db1:4200"
    })
    void acceptsEveryNodeFormOfThePythonClient(String address, String expected) {
        ClientConfig config = CrateClient.builder().nodes(address).toConfig();
        assertThat(config.routing().nodes()).extracting(Node::toString).containsExactly(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://db1:4200", "http://", "http://db1:99999", "http://db1:4200?x=1", "db1:notaport",
        "http://db 1:4200", " "})
    void rejectsMalformedNodesNamingThem(String address) {
        assertThatThrownBy(() -> CrateClient.builder().nodes(address).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("nodes:");
    }

    @Test
    void malformedNodeMessageNeverShowsCredentials() {
        assertThatThrownBy(() -> CrateClient.builder().nodes("http://alice:s3cret@db1:99999").build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("***@db1:99999")
            .hasMessageNotContaining("s3cret")
            .hasMessageNotContaining("alice");
    }

    @Test
    void takesCredentialsFromTheFirstUrlDecoded() {
        ClientConfig config = CrateClient.builder().nodes("http://al%40ice:p%3Aw@db1:4200", "db2").toConfig();
        assertThat(config.request().authorization().get()).isEqualTo(basic("al@ice:p:w"));
    }

    @Test
    void explicitUsernameWinsOverUrlCredentials() {
        ClientConfig config = CrateClient.builder().nodes("http://alice:pw@db1:4200").username("bob").toConfig();
        assertThat(config.request().authorization().get()).isEqualTo(basic("bob:"));
    }

    @Test
    void userWithoutPasswordIsAllowed() {
        assertThat(CrateClient.builder().username("crate").toConfig().request().authorization().get()).isEqualTo(basic("crate:"));
    }

    @Test
    void jwtSupplierIsAskedPerHeader() {
        AtomicInteger calls = new AtomicInteger();
        ClientConfig config = CrateClient.builder().jwt(() -> "token-" + calls.incrementAndGet()).toConfig();
        assertThat(config.request().authorization().get()).isEqualTo("Bearer token-1");
        assertThat(config.request().authorization().get()).isEqualTo("Bearer token-2");
    }

    @Test
    void basicAndJwtTogetherIsABuildError() {
        assertThatThrownBy(() -> CrateClient.builder().username("crate").jwt("t").build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("jwt:");
        assertThatThrownBy(() -> CrateClient.builder().nodes("http://crate@db1:4200").jwt("t").build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("jwt:");
    }

    @Test
    void passwordWithoutUserIsABuildError() {
        assertThatThrownBy(() -> CrateClient.builder().password("pw").build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("password:");
    }

    @Test
    void duplicateNodesAreABuildError() {
        assertThatThrownBy(() -> CrateClient.builder().nodes("db1", "http://db1:4200").build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }

    @Test
    void badOptionsFailAtBuildNamingOptionAndValue() {
        assertBuildFails(CrateClient.builder().connectTimeout(Duration.ZERO), "connectTimeout: must be positive, was PT0S");
        assertBuildFails(CrateClient.builder().timeout(Duration.ofSeconds(-1)), "timeout: must be zero or positive, was PT-1S");
        assertBuildFails(CrateClient.builder().backoffFactor(null), "backoffFactor: must be zero or positive, was null");
        assertBuildFails(CrateClient.builder().maxRetries(-1), "maxRetries: must be zero or more, was -1");
        assertBuildFails(CrateClient.builder().maxConnections(0), "maxConnections: must be positive, was 0");
        assertBuildFails(CrateClient.builder().compressionThreshold(-5), "compressionThreshold: must be zero or more, was -5");
        assertBuildFails(CrateClient.builder().maxIdleTime(Duration.ZERO), "maxIdleTime: must be positive, was PT0S");
        assertBuildFails(CrateClient.builder().tcpKeepIdle(Duration.ofMillis(1500)),
            "tcpKeepIdle: must be a whole number of seconds, at least 1 s, was PT1.5S");
        assertBuildFails(CrateClient.builder().tcpKeepCount(0), "tcpKeepCount: must be at least 1, was 0");
        assertBuildFails(CrateClient.builder().socketKeepalive(false).tcpKeepIdle(Duration.ofSeconds(5)),
            "tcpKeepIdle/tcpKeepInterval/tcpKeepCount: need socketKeepalive(true)");
        assertBuildFails(CrateClient.builder().schema(" "), "schema: must not be blank, was ' '");
    }

    @Test
    void keepaliveTuningIsKeptInSeconds() {
        ClientConfig config = CrateClient.builder().tcpKeepIdle(Duration.ofSeconds(60))
            .tcpKeepInterval(Duration.ofSeconds(10)).tcpKeepCount(5).toConfig();
        assertThat(config.transport().socket().keepalive()).isEqualTo(new TransportOptions.Keepalive(60, 10, 5));
    }

    @Test
    void channelOptionsAreKeptAndCanOverrideKeepalive() {
        ClientConfig config = CrateClient.builder().channelOption(ChannelOption.TCP_NODELAY, true)
            .channelOption(ChannelOption.SO_KEEPALIVE, false).toConfig();
        assertThat(config.transport().socket().channelOptions()).containsEntry(ChannelOption.TCP_NODELAY, true)
            .containsEntry(ChannelOption.SO_KEEPALIVE, false);
    }

    @Test
    void toStringNeverShowsCredentials() {
        CrateClientBuilder builder = CrateClient.builder().nodes("http://alice:s3cret@db1:4200").password("hunter2");
        assertThat(builder.toString()).doesNotContain("s3cret", "hunter2", "alice");
        ClientConfig config = CrateClient.builder().username("alice").password("hunter2").toConfig();
        assertThat(config.toString()).doesNotContain("hunter2", "alice", basic("alice:hunter2"));
        assertThat(CrateClient.builder().jwt("eyJsecret").toConfig().toString()).doesNotContain("eyJsecret");
    }

    private static void assertBuildFails(CrateClientBuilder builder, String message) {
        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }
}
