package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.internal.DefaultCrateClient;
import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.Reply;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.LoopResources;
import reactor.test.StepVerifier;

/** Which event loops a client's connections run on: the JVM-wide set by default, the user's when given. */
class EventLoopsTest {

    private final CrateTestServer server = CrateTestServer.start().respond(Reply.transcript("select-simple"));

    @AfterEach
    void tearDown() {
        server.close();
    }

    private Channel connect(CrateClientBuilder builder) {
        AtomicReference<Channel> connected = new AtomicReference<>();
        DefaultCrateClient client = new DefaultCrateClient(builder.nodes(server.url()).toConfig(),
            new DefaultCrateClient.Hooks(System::nanoTime, true, connected::set));
        try {
            StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete()
                .verify(Duration.ofSeconds(10));
        } finally {
            client.close();
        }
        return connected.get();
    }

    private static String threadName(Channel channel) throws Exception {
        return channel.eventLoop().submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
    }

    @Test
    void clientsShareTheLibrarysOwnLoopsByDefault() throws Exception {
        Channel first = connect(CrateClient.builder());
        Channel second = connect(CrateClient.builder());
        assertThat(threadName(first)).startsWith("crate-reactive-io");
        assertThat(second.eventLoop().parent()).isSameAs(first.eventLoop().parent());
        assertThat(first.eventLoop().parent()).hasSize(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void givenLoopsAreUsedAndNotDisposedWithTheClient() throws Exception {
        LoopResources loops = LoopResources.create("user-loops", 1, true);
        try {
            Channel channel = connect(CrateClient.builder().loopResources(loops));
            assertThat(threadName(channel)).startsWith("user-loops");
            assertThat(loops.isDisposed()).isFalse();
            // still usable after the client closed: another client runs on them
            assertThat(threadName(connect(CrateClient.builder().loopResources(loops)))).startsWith("user-loops");
        } finally {
            loops.disposeLater().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void nullRestoresTheDefault() throws Exception {
        LoopResources loops = LoopResources.create("unused-loops", 1, true);
        try {
            Channel channel = connect(CrateClient.builder().loopResources(loops).loopResources(null));
            assertThat(threadName(channel)).startsWith("crate-reactive-io");
        } finally {
            loops.disposeLater().block(Duration.ofSeconds(10));
        }
    }
}
