package simplebt.dht;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A KRPC message (BEP 5): a query, a response or an error, each with the transaction id
 * {@code t} its reply must echo. Byte arrays are the wire bytes (ids, tokens, t).
 */
public sealed interface KrpcMessage {
    byte[] t();

    /** A query; {@code id} is the sender's node id. */
    sealed interface Query extends KrpcMessage {
        NodeId id();

        String method();
    }

    record Ping(byte[] t, NodeId id) implements Query {
        public String method() {
            return "ping";
        }
    }

    record FindNode(byte[] t, NodeId id, NodeId target) implements Query {
        public String method() {
            return "find_node";
        }
    }

    record GetPeers(byte[] t, NodeId id, NodeId infoHash) implements Query {
        public String method() {
            return "get_peers";
        }
    }

    /** {@code impliedPort}: the peer's port is the UDP source port of this query, not {@code port}. */
    record AnnouncePeer(byte[] t, NodeId id, NodeId infoHash, int port, boolean impliedPort, byte[] token) implements Query {
        public String method() {
            return "announce_peer";
        }
    }

    /**
     * A response to any query. {@code nodes}, {@code values} and {@code token} are empty/null when
     * absent; {@code ip} (BEP 42) is how the responder sees us, or null.
     */
    record Response(byte[] t, NodeId id, List<NodeInfo> nodes, List<InetSocketAddress> values, byte[] token,
            InetSocketAddress ip) implements KrpcMessage {
        public Response {
            nodes = List.copyOf(nodes);
            values = List.copyOf(values);
        }

        public static Response plain(byte[] t, NodeId id) {
            return new Response(t, id, List.of(), List.of(), null, null);
        }
    }

    record Error(byte[] t, int code, String message) implements KrpcMessage {
        public static final int GENERIC = 201;
        public static final int SERVER = 202;
        public static final int PROTOCOL = 203;
        public static final int METHOD_UNKNOWN = 204;
    }
}
