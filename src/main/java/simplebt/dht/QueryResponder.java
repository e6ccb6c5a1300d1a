package simplebt.dht;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Answers queries (BEP 5) from the routing table, the tokens and the peer store; no sockets.
 * Replies are bounded: at most 8 nodes and {@value #MAX_VALUES} peers, so a reply to a query
 * from an address nobody verified is never more than about six times the query's size (no
 * amplification for spoofed sources).
 */
public final class QueryResponder {
    static final int MAX_VALUES = 25;

    private final RoutingTable table;
    private final Tokens tokens;
    private final PeerStore store;
    private final RandomGenerator random;

    public QueryResponder(RoutingTable table, Tokens tokens, PeerStore store, RandomGenerator random) {
        this.table = table;
        this.tokens = tokens;
        this.store = store;
        this.random = random;
    }

    public KrpcMessage answer(KrpcMessage.Query q, InetSocketAddress from) {
        NodeId self = table.self();
        return switch (q) {
            case KrpcMessage.Ping p -> reply(p.t(), List.of(), List.of(), null, from);
            case KrpcMessage.FindNode f -> reply(f.t(), table.closest(f.target(), RoutingTable.K), List.of(), null, from);
            case KrpcMessage.GetPeers g -> {
                List<InetSocketAddress> values = store.get(g.infoHash(), MAX_VALUES, random);
                List<NodeInfo> nodes = values.isEmpty() ? table.closest(g.infoHash(), RoutingTable.K) : List.of();
                yield reply(g.t(), nodes, values, tokens.issue(from.getAddress()), from);
            }
            case KrpcMessage.AnnouncePeer a -> {
                if (!tokens.valid(a.token(), from.getAddress())) {
                    yield new KrpcMessage.Error(a.t(), KrpcMessage.Error.PROTOCOL, "Bad token");
                }
                int port = a.impliedPort() ? from.getPort() : a.port();
                store.add(a.infoHash(), new InetSocketAddress(from.getAddress(), port));
                yield KrpcMessage.Response.plain(a.t(), self);
            }
        };
    }

    private KrpcMessage.Response reply(byte[] t, List<NodeInfo> nodes, List<InetSocketAddress> values, byte[] token,
            InetSocketAddress from) {
        // "ip" (BEP 42) tells the querier its address as we see it, so it can pick a fitting id
        return new KrpcMessage.Response(t, table.self(), nodes, values, token, from);
    }
}
