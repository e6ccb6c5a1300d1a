package simplebt.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The Kademlia routing table of BEP 5. Buckets of {@value #K} cover ranges of the id space; only
 * the bucket that holds our own id splits, which makes bucket {@code i} (for {@code i} below the
 * last) hold the nodes sharing exactly {@code i} leading bits with us, and the last one all that
 * share more. A node is good while it answered us within 15 minutes, questionable after, bad
 * after {@value #BAD_AFTER} queries in a row went unanswered. A full bucket keeps newcomers in a
 * replacement cache; a bad node makes room for the newest of them, and the caller is told which
 * questionable node to ping so that a dead one is found out. Nodes on public addresses whose
 * id does not follow BEP 42 are not taken (they are still answered); loopback and private
 * networks are exempt.
 *
 * <p>Thread-safe (one lock; nothing inside does I/O).
 */
public final class RoutingTable {
    public static final int K = 8;
    public static final long GOOD_MILLIS = 15 * 60_000L;
    static final int BAD_AFTER = 2;

    /** One node in a bucket. Mutable; guarded by the table's lock. */
    static final class Entry {
        NodeInfo node;
        long lastReply; // 0 = never answered us
        long lastSeen;
        int failures;

        Entry(NodeInfo node, long lastReply, long lastSeen) {
            this.node = node;
            this.lastReply = lastReply;
            this.lastSeen = lastSeen;
        }
    }

    static final class Bucket {
        final List<Entry> nodes = new ArrayList<>();
        final List<NodeInfo> replacements = new ArrayList<>();
        long changed;
    }

    public enum State { GOOD, QUESTIONABLE, BAD }

    private final NodeId self;
    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private final List<Bucket> buckets = new ArrayList<>();

    public RoutingTable(NodeId self, LongSupplier millisClock) {
        this.self = self;
        this.clock = millisClock;
        Bucket first = new Bucket();
        first.changed = clock.getAsLong();
        buckets.add(first);
    }

    public NodeId self() {
        return self;
    }

    /**
     * A node showed signs of life: {@code replied} when it answered our query (then it is good),
     * false when it only queried us or another node named it. Returns a questionable node to ping
     * when the node found its bucket full.
     */
    public Optional<NodeInfo> seen(NodeInfo node, boolean replied) {
        if (node.id().equals(self) || !Bep42.valid(node.id(), node.address().getAddress())) {
            return Optional.empty(); // BEP 42: a public address must carry an id derived from it (others are exempt)
        }
        lock.lock();
        try {
            long now = clock.getAsLong();
            while (true) {
                int index = indexOf(node.id());
                Bucket b = buckets.get(index);
                Entry e = find(b, node.id());
                if (e != null) {
                    if (!e.node.address().equals(node.address())) {
                        return Optional.empty(); // an id moving to another address is not believed
                    }
                    e.lastSeen = now;
                    if (replied) {
                        e.lastReply = now;
                        e.failures = 0;
                        b.changed = now;
                    }
                    return Optional.empty();
                }
                if (!replied && findAddress(node.address()) != null) { // hearsay may not add a second id for one address
                    return Optional.empty();
                }
                if (b.nodes.size() < K) {
                    b.nodes.add(new Entry(node, replied ? now : 0, now));
                    b.changed = now;
                    return Optional.empty();
                }
                if (index == buckets.size() - 1 && buckets.size() < NodeId.BITS) {
                    split();
                    continue;
                }
                for (int i = 0; i < b.nodes.size(); i++) {
                    if (state(b.nodes.get(i), now) == State.BAD) {
                        b.nodes.set(i, new Entry(node, replied ? now : 0, now));
                        b.changed = now;
                        return Optional.empty();
                    }
                }
                b.replacements.removeIf(r -> r.id().equals(node.id()));
                b.replacements.add(node);
                if (b.replacements.size() > K) {
                    b.replacements.remove(0);
                }
                return b.nodes.stream().filter(x -> state(x, now) == State.QUESTIONABLE)
                        .min(Comparator.comparingLong(x -> x.lastSeen)).map(x -> x.node);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Our query to this node timed out. A node gone bad gives way to the newest replacement. */
    public void failed(NodeId id) {
        lock.lock();
        try {
            long now = clock.getAsLong();
            Bucket b = buckets.get(indexOf(id));
            Entry e = find(b, id);
            if (e == null) {
                return;
            }
            e.failures++;
            if (state(e, now) == State.BAD && !b.replacements.isEmpty()) {
                NodeInfo r = b.replacements.remove(b.replacements.size() - 1);
                e.node = r;
                e.lastReply = 0;
                e.lastSeen = now;
                e.failures = 0;
                b.changed = now;
            }
        } finally {
            lock.unlock();
        }
    }

    public Optional<State> state(NodeId id) {
        lock.lock();
        try {
            Entry e = find(buckets.get(indexOf(id)), id);
            return e == null ? Optional.empty() : Optional.of(state(e, clock.getAsLong()));
        } finally {
            lock.unlock();
        }
    }

    /** The {@code count} known nodes closest to {@code target}, bad ones left out, closest first. */
    public List<NodeInfo> closest(NodeId target, int count) {
        lock.lock();
        try {
            long now = clock.getAsLong();
            List<NodeInfo> all = new ArrayList<>();
            for (Bucket b : buckets) {
                for (Entry e : b.nodes) {
                    if (state(e, now) != State.BAD) {
                        all.add(e.node);
                    }
                }
            }
            all.sort((x, y) -> target.compareDistance(x.id(), y.id()));
            return List.copyOf(all.subList(0, Math.min(count, all.size())));
        } finally {
            lock.unlock();
        }
    }

    public List<NodeInfo> all() {
        return closest(self, Integer.MAX_VALUE);
    }

    public int size() {
        lock.lock();
        try {
            return buckets.stream().mapToInt(b -> b.nodes.size()).sum();
        } finally {
            lock.unlock();
        }
    }

    public int bucketCount() {
        lock.lock();
        try {
            return buckets.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Targets to look up for buckets unchanged for 15 minutes (BEP 5 refresh): one random id in
     * each such bucket's range. Their clocks restart, so a refresh is not repeated at once.
     */
    public List<NodeId> refreshTargets(java.util.random.RandomGenerator random) {
        lock.lock();
        try {
            long now = clock.getAsLong();
            List<NodeId> targets = new ArrayList<>();
            for (int i = 0; i < buckets.size(); i++) {
                Bucket b = buckets.get(i);
                if (now - b.changed >= GOOD_MILLIS) {
                    targets.add(self.randomWithPrefix(i == buckets.size() - 1 ? Math.min(i + 1, NodeId.BITS - 1) : i, random));
                    b.changed = now;
                }
            }
            return targets;
        } finally {
            lock.unlock();
        }
    }

    private State state(Entry e, long now) {
        if (e.failures >= BAD_AFTER) {
            return State.BAD;
        }
        // answered us once and still active (recently answered or recently queried us)
        boolean good = e.lastReply != 0 && (now - e.lastReply < GOOD_MILLIS || now - e.lastSeen < GOOD_MILLIS);
        return good ? State.GOOD : State.QUESTIONABLE;
    }

    private int indexOf(NodeId id) {
        return Math.min(self.commonPrefix(id), buckets.size() - 1);
    }

    private static Entry find(Bucket b, NodeId id) {
        for (Entry e : b.nodes) {
            if (e.node.id().equals(id)) {
                return e;
            }
        }
        return null;
    }

    private Entry findAddress(InetSocketAddress a) {
        for (Bucket b : buckets) {
            for (Entry e : b.nodes) {
                if (e.node.address().equals(a)) {
                    return e;
                }
            }
        }
        return null;
    }

    /** The last bucket (ours) becomes two: those sharing exactly n bits with us, and the rest. */
    private void split() {
        int n = buckets.size() - 1;
        Bucket old = buckets.get(n);
        Bucket near = new Bucket();
        near.changed = old.changed;
        for (var it = old.nodes.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (self.commonPrefix(e.node.id()) > n) {
                near.nodes.add(e);
                it.remove();
            }
        }
        for (var it = old.replacements.iterator(); it.hasNext(); ) {
            NodeInfo r = it.next();
            if (self.commonPrefix(r.id()) > n) {
                near.replacements.add(r);
                it.remove();
            }
        }
        buckets.add(near);
    }
}
