package simplebt.dht;

import java.net.InetSocketAddress;

/** A DHT node we know of: its id and its UDP address (IPv4). */
public record NodeInfo(NodeId id, InetSocketAddress address) {
}
