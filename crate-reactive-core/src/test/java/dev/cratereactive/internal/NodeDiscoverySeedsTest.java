package dev.cratereactive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.Node;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which published nodes a seed given by host name already is (the rest of discovery: NodeDiscoveryTest). */
class NodeDiscoverySeedsTest {

    private static final Node ALIAS = new Node("http", "crate.internal", 4200, "");
    private static final Node FIRST = new Node("http", "10.0.0.1", 4200, "");
    private static final Node SECOND = new Node("http", "10.0.0.2", 4200, "");

    private static Set<InetAddress> addresses(String... literals) throws Exception {
        InetAddress[] resolved = new InetAddress[literals.length];
        for (int i = 0; i < literals.length; i++) {
            resolved[i] = InetAddress.getByName(literals[i]);
        }
        return Set.of(resolved);
    }

    @Test
    void aNameOfExactlyOnePublishedNodeIsThatNode() throws Exception {
        assertThat(NodeDiscovery.withoutNamedSeeds(List.of(FIRST, SECOND), Map.of(ALIAS, addresses("10.0.0.2"))))
            .containsExactly(FIRST);
    }

    @Test
    void aNameOfSeveralPublishedNodesStaysASeedBesideThem() throws Exception {
        assertThat(NodeDiscovery.withoutNamedSeeds(List.of(FIRST, SECOND),
            Map.of(ALIAS, addresses("10.0.0.1", "10.0.0.2"))))
            .as("round-robin DNS over two nodes: both stay").containsExactly(FIRST, SECOND);
    }

    @Test
    void theSameAddressOnAnotherPortIsAnotherNode() throws Exception {
        Node otherPort = new Node("http", "10.0.0.1", 4201, "");
        assertThat(NodeDiscovery.withoutNamedSeeds(List.of(otherPort), Map.of(ALIAS, addresses("10.0.0.1"))))
            .containsExactly(otherPort);
    }

    @Test
    void publishedHostNamesAreNeverTakenForASeed() throws Exception {
        Node named = new Node("http", "node-1.crate.internal", 4200, "");
        assertThat(NodeDiscovery.withoutNamedSeeds(List.of(named), Map.of(ALIAS, addresses("10.0.0.1"))))
            .containsExactly(named);
    }
}
