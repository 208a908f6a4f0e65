package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cratereactive.internal.DefaultCrateClient;
import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.Reply;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Socket options are read back from the real connected socket (getsockopt), per transport. */
class SocketOptionsTest {

    private final CrateTestServer server = CrateTestServer.start().respond(Reply.transcript("select-simple"));
    private final AtomicReference<Channel> connected = new AtomicReference<>();
    private DefaultCrateClient client;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private Channel connect(CrateClientBuilder builder, boolean preferNative) {
        client = new DefaultCrateClient(builder.nodes(server.url()).toConfig(),
            new DefaultCrateClient.Hooks(System::nanoTime, preferNative, connected::set));
        StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(Duration.ofSeconds(10));
        return connected.get();
    }

    private static CrateClientBuilder tuned() {
        return CrateClient.builder().tcpKeepIdle(Duration.ofSeconds(61)).tcpKeepInterval(Duration.ofSeconds(11))
            .tcpKeepCount(4).channelOption(ChannelOption.TCP_NODELAY, true);
    }

    @Test
    void epollTransportAppliesKeepaliveTuning() {
        assumeTrue(Epoll.isAvailable(), "native epoll transport not available on this machine");
        Channel channel = connect(tuned(), true);
        assertThat(channel).isInstanceOf(EpollSocketChannel.class);
        assertThat(channel.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
        assertThat(channel.config().getOption(EpollChannelOption.TCP_KEEPIDLE)).isEqualTo(61);
        assertThat(channel.config().getOption(EpollChannelOption.TCP_KEEPINTVL)).isEqualTo(11);
        assertThat(channel.config().getOption(EpollChannelOption.TCP_KEEPCNT)).isEqualTo(4);
        assertThat(channel.config().getOption(ChannelOption.TCP_NODELAY)).isTrue();
    }

    @Test
    void nioTransportAppliesKeepaliveTuningThroughExtendedSocketOptions() {
        Channel channel = connect(tuned(), false);
        assertThat(channel).isInstanceOf(NioSocketChannel.class);
        assertThat(channel.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
        assertThat(channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE))).isEqualTo(61);
        assertThat(channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL))).isEqualTo(11);
        assertThat(channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT))).isEqualTo(4);
        assertThat(channel.config().getOption(ChannelOption.TCP_NODELAY)).isTrue();
    }

    @Test
    void keepaliveIsOnByDefaultAndCanBeTurnedOff() {
        assertThat(connect(CrateClient.builder(), true).config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
        client.close();
        assertThat(connect(CrateClient.builder().socketKeepalive(false), true).config()
            .getOption(ChannelOption.SO_KEEPALIVE)).isFalse();
    }
}
