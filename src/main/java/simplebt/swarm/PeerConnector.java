package simplebt.swarm;

import java.io.IOException;
import java.net.InetSocketAddress;

/** Opens an outgoing connection to a peer; the secure channel supplies its own. */
@FunctionalInterface
public interface PeerConnector {
    PeerStreams connect(InetSocketAddress address) throws IOException;
}
