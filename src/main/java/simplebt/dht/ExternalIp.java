package simplebt.dht;

import java.net.InetAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Our external IPv4 address as others report it (BEP 42 "ip"): taken once three different
 * nodes agree, so one liar cannot choose our next id. Used when the table is next loaded.
 */
final class ExternalIp {
    private final Map<InetAddress, Set<InetAddress>> votes = new ConcurrentHashMap<>();
    private volatile InetAddress agreed;

    void set(InetAddress ip) {
        agreed = ip;
    }

    InetAddress get() {
        return agreed;
    }

    void vote(InetAddress ip, InetAddress voter) {
        if (Bep42.exempt(ip) || votes.size() > 16 && !votes.containsKey(ip)) {
            return;
        }
        Set<InetAddress> voters = votes.computeIfAbsent(ip, k -> ConcurrentHashMap.newKeySet());
        if (voters.size() < 8) {
            voters.add(voter);
        }
        if (voters.size() >= 3) {
            agreed = ip;
        }
    }
}
