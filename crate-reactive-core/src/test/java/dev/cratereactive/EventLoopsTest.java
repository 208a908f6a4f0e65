package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.internal.DefaultCrateClient;
import dev.cratereactive.testing.Await;
import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.Reply;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.LoopResources;
import reactor.test.StepVerifier;

/**
 * Which event loops a client's connections run on: the library's, shared by the open clients, by default; the
 * user's when given.
 */
class EventLoopsTest {

    private final CrateTestServer server = CrateTestServer.start().respond(Reply.transcript("select-simple"));

    @AfterEach
    void tearDown() {
        server.close();
    }

    private DefaultCrateClient open(CrateClientBuilder builder, AtomicReference<Channel> connected) {
        DefaultCrateClient client = new DefaultCrateClient(builder.nodes(server.url()).toConfig(),
            new DefaultCrateClient.Hooks(System::nanoTime, true, connected::set));
        StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete()
            .verify(Duration.ofSeconds(10));
        return client;
    }

    private Channel connect(CrateClientBuilder builder) {
        AtomicReference<Channel> connected = new AtomicReference<>();
        open(builder, connected).close();
        return connected.get();
    }

    private static String threadName(Channel channel) throws Exception {
        return channel.eventLoop().submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
    }

    @Test
    void openClientsShareTheLibrarysOwnLoopsWhichStopAfterTheLastOneCloses() throws Exception {
        AtomicReference<Channel> firstChannel = new AtomicReference<>();
        AtomicReference<Channel> secondChannel = new AtomicReference<>();
        DefaultCrateClient first = open(CrateClient.builder(), firstChannel);
        DefaultCrateClient second = open(CrateClient.builder(), secondChannel);
        EventLoopGroup loops = firstChannel.get().eventLoop().parent();
        try {
            assertThat(threadName(firstChannel.get())).startsWith("crate-reactive-io");
            assertThat(secondChannel.get().eventLoop().parent()).isSameAs(loops);
            assertThat(loops).hasSize(Runtime.getRuntime().availableProcessors());
            first.close();
            assertThat(loops.isShuttingDown()).as("shutting down while a client is open").isFalse();
            // a client opened now joins the running loops
            assertThat(connect(CrateClient.builder()).eventLoop().parent()).isSameAs(loops);
        } finally {
            first.close();
            second.close();
        }
        Await.until("the loops have stopped", Duration.ofSeconds(30), loops::isTerminated);
        // the next client starts new ones
        EventLoopGroup next = connect(CrateClient.builder()).eventLoop().parent();
        assertThat(next).isNotSameAs(loops);
        Await.until("the new loops have stopped", Duration.ofSeconds(30), next::isTerminated);
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
