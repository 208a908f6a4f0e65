package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NodeSelectorTest {

    private final Node a = new Node("http", "a", 4200, "");
    private final Node b = new Node("http", "b", 4200, "");
    private final Node c = new Node("https", "c", 4200, "/p");

    @Test
    void roundRobinStartsOneNodeFurtherOnEachCall() {
        NodeSelector selector = NodeSelector.roundRobin();
        List<Node> nodes = List.of(a, b, c);
        assertThat(selector.order(nodes)).containsExactly(a, b, c);
        assertThat(selector.order(nodes)).containsExactly(b, c, a);
        assertThat(selector.order(nodes)).containsExactly(c, a, b);
        assertThat(selector.order(nodes)).containsExactly(a, b, c);
    }

    @Test
    void roundRobinInstancesAreIndependent() {
        NodeSelector first = NodeSelector.roundRobin();
        first.order(List.of(a, b));
        assertThat(NodeSelector.roundRobin().order(List.of(a, b))).containsExactly(a, b);
    }

    @Test
    void inOrderKeepsTheConfiguredOrder() {
        NodeSelector selector = NodeSelector.inOrder();
        assertThat(selector.order(List.of(c, a))).containsExactly(c, a);
        assertThat(selector.order(List.of(c, a))).containsExactly(c, a);
    }

    @Test
    void nodeShowsItsUrlWithoutCredentialsAndBracketsIpv6() {
        assertThat(c.toString()).isEqualTo("https://c:4200/p");
        assertThat(new Node("http", "::1", 4200, "").uri().toString()).isEqualTo("http://[::1]:4200");
    }
}
