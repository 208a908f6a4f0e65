package dev.cratereactive.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.Node;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeadNodesTest {

    private final AtomicLong clock = new AtomicLong(1_000);
    private final DeadNodes deadNodes = new DeadNodes(Duration.ofSeconds(30), clock::get);
    private final Node a = new Node("http", "a", 4200, "");
    private final Node b = new Node("http", "b", 4200, "");
    private final Node c = new Node("http", "c", 4200, "");

    @Test
    void failedNodeIsSkippedFor30sThenDoublingUpTo30Minutes() {
        long[] expectedSkipSeconds = {30, 60, 120, 240, 480, 960, 1800, 1800};
        for (long skip : expectedSkipSeconds) {
            deadNodes.markDead(a, new IOException("refused"));
            advance(Duration.ofSeconds(skip).minusMillis(1));
            assertThat(deadNodes.isDead(a)).as("still dead just before %d s", skip).isTrue();
            advance(Duration.ofMillis(1));
            assertThat(deadNodes.isDead(a)).as("due again after %d s", skip).isFalse();
        }
    }

    @Test
    void successForgetsTheFailures() {
        deadNodes.markDead(a, new IOException("refused"));
        deadNodes.markDead(a, new IOException("refused"));
        deadNodes.markAlive(a);
        assertThat(deadNodes.isDead(a)).isFalse();
        deadNodes.markDead(a, new IOException("refused"));
        advance(Duration.ofSeconds(30));
        assertThat(deadNodes.isDead(a)).as("back to the first interval").isFalse();
    }

    @Test
    void deadNodesGoLastClosestToRevivalFirst() {
        deadNodes.markDead(a, new IOException("refused"));
        deadNodes.markDead(a, new IOException("refused")); // 60 s
        deadNodes.markDead(b, new IOException("refused")); // 30 s
        assertThat(deadNodes.order(List.of(a, b, c))).containsExactly(c, b, a);
    }

    @Test
    void whenEveryNodeIsDeadTheOneClosestToRevivalIsFirst() {
        deadNodes.markDead(a, new IOException("refused"));
        advance(Duration.ofSeconds(10));
        deadNodes.markDead(b, new IOException("refused"));
        deadNodes.markDead(c, new IOException("refused"));
        deadNodes.markDead(c, new IOException("refused"));
        assertThat(deadNodes.order(List.of(c, b, a))).containsExactly(a, b, c);
    }

    @Test
    void revivedNodeRejoinsInThePreferredOrder() {
        deadNodes.markDead(a, new IOException("refused"));
        advance(Duration.ofSeconds(31));
        assertThat(deadNodes.order(List.of(a, b, c))).containsExactly(a, b, c);
    }

    private void advance(Duration duration) {
        clock.addAndGet(duration.toNanos());
    }

    @Test
    void withAProberADueNodeStaysLastUntilTheProbeRevivesIt() {
        List<Node> probed = new java.util.concurrent.CopyOnWriteArrayList<>();
        deadNodes.reviveWith(probed::add);
        deadNodes.markDead(a, new IOException("refused"));
        advance(Duration.ofSeconds(31));

        assertThat(deadNodes.order(List.of(a, b, c))).as("due, but no statement before the probe").containsExactly(b, c, a);
        assertThat(deadNodes.order(List.of(a, b, c))).containsExactly(b, c, a);
        assertThat(probed).as("one probe at a time").containsExactly(a);

        deadNodes.probed(a, null);
        assertThat(deadNodes.order(List.of(a, b, c))).containsExactly(a, b, c);
        assertThat(deadNodes.snapshot(a)).isNull();
    }

    @Test
    void aFailedProbeKeepsTheNodeDeadForTheNextIntervalAndAllowsAnotherProbeLater() {
        List<Node> probed = new java.util.concurrent.CopyOnWriteArrayList<>();
        deadNodes.reviveWith(probed::add);
        List<Node> transitions = new java.util.concurrent.CopyOnWriteArrayList<>();
        deadNodes.onDead(transitions::add);
        deadNodes.markDead(a, new IOException("refused"));
        advance(Duration.ofSeconds(31));
        deadNodes.order(List.of(a, b));
        deadNodes.probed(a, new IOException("still refused"));

        DeadNodes.Snapshot snapshot = deadNodes.snapshot(a);
        assertThat(snapshot.failures()).isEqualTo(2);
        assertThat(snapshot.remaining()).isEqualTo(Duration.ofSeconds(60));
        assertThat(snapshot.lastFailure()).hasMessage("still refused");
        assertThat(transitions).as("alive to dead once, not per failure").containsExactly(a);

        advance(Duration.ofSeconds(61));
        deadNodes.order(List.of(a, b));
        assertThat(probed).containsExactly(a, a);
    }
}
