package simplebt.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One iterative Kademlia lookup (BEP 5), without sockets: which nodes to ask next (closest
 * first, at most {@value #ALPHA} at a time), what they answered, and when it is over (the
 * {@value RoutingTable#K} closest nodes not known dead have all answered, or nobody is left to
 * ask). Candidates and peers are bounded so a liar cannot grow a lookup without end.
 * Owned by the one thread running the lookup.
 */
public final class Lookup {
    public static final int ALPHA = 3;
    static final int MAX_CANDIDATES = 100;
    static final int MAX_PEERS = 1000;

    private enum Status { NEW, ASKED, ANSWERED, FAILED }

    private static final class Candidate {
        final NodeInfo node;
        Status status = Status.NEW;
        byte[] token;

        Candidate(NodeInfo node) {
            this.node = node;
        }
    }

    /** A node that answered, with the token it gave (get_peers), for announcing to it. */
    public record Answered(NodeInfo node, byte[] token) {
    }

    private final NodeId target;
    private final List<Candidate> candidates = new ArrayList<>(); // sorted by distance to target
    private final Set<InetSocketAddress> peers = new LinkedHashSet<>();
    private int asked;

    public Lookup(NodeId target, List<NodeInfo> start) {
        this.target = target;
        start.forEach(this::offer);
    }

    public NodeId target() {
        return target;
    }

    /** Up to {@code room} nodes to query now, closest first; they are marked as asked. */
    public List<NodeInfo> next(int room) {
        List<NodeInfo> out = new ArrayList<>();
        int live = 0;
        for (Candidate c : candidates) {
            if (out.size() >= room || live >= RoutingTable.K) {
                break; // only the K closest live ones matter; asking farther ones is waste
            }
            if (c.status == Status.FAILED) {
                continue;
            }
            live++;
            if (c.status == Status.NEW) {
                c.status = Status.ASKED;
                out.add(c.node);
                asked++;
            }
        }
        return out;
    }

    public void answered(NodeInfo from, List<NodeInfo> nodes, List<InetSocketAddress> values, byte[] token) {
        Candidate c = find(from.address());
        if (c != null) {
            c.status = Status.ANSWERED;
            c.token = token;
        }
        nodes.forEach(this::offer);
        for (InetSocketAddress v : values) {
            if (peers.size() < MAX_PEERS) {
                peers.add(v);
            }
        }
    }

    public void failed(NodeInfo node) {
        Candidate c = find(node.address());
        if (c != null) {
            c.status = Status.FAILED;
        }
    }

    /** Over when the K closest live candidates have all answered, or none is waiting to be asked. */
    public boolean done() {
        int live = 0;
        for (Candidate c : candidates) {
            if (c.status == Status.FAILED) {
                continue;
            }
            if (c.status != Status.ANSWERED) {
                return false;
            }
            if (++live == RoutingTable.K) {
                return true;
            }
        }
        return true;
    }

    public boolean anyLeftToAsk() {
        return candidates.stream().anyMatch(c -> c.status == Status.NEW);
    }

    public List<InetSocketAddress> peers() {
        return List.copyOf(peers);
    }

    public int asked() {
        return asked;
    }

    /** The K closest nodes that answered, closest first. */
    public List<Answered> closestAnswered() {
        return candidates.stream().filter(c -> c.status == Status.ANSWERED).limit(RoutingTable.K)
                .map(c -> new Answered(c.node, c.token)).toList();
    }

    private void offer(NodeInfo n) {
        if (find(n.address()) != null) {
            return;
        }
        int at = 0;
        while (at < candidates.size() && target.compareDistance(candidates.get(at).node.id(), n.id()) <= 0) {
            at++;
        }
        if (at >= MAX_CANDIDATES) {
            return;
        }
        candidates.add(at, new Candidate(n));
        if (candidates.size() > MAX_CANDIDATES) {
            candidates.remove(candidates.size() - 1);
        }
    }

    private Candidate find(InetSocketAddress a) {
        for (Candidate c : candidates) {
            if (c.node.address().equals(a)) {
                return c;
            }
        }
        return null;
    }
}
