package simplebt.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import simplebt.bencode.BDict;
import simplebt.bencode.BInt;
import simplebt.bencode.BList;
import simplebt.bencode.BString;
import simplebt.bencode.BValue;
import simplebt.bencode.BencodeDecoder;
import simplebt.bencode.BencodeEncoder;
import simplebt.bencode.BencodeException;

/**
 * Encodes and strictly decodes KRPC datagrams. Decoding never throws anything but
 * {@link KrpcException}: sizes are bounded before bencode sees the bytes, bencode itself is
 * bounded (depth, value count, string length), keys we do not know are ignored (BEP 5 lets
 * clients add some), and a known key of the wrong type or size is a protocol error (203).
 */
public final class KrpcCodec {
    /** Real KRPC datagrams are a few hundred bytes; ours stay below 1,500 (one Ethernet frame). */
    public static final int MAX_DATAGRAM = 2048;
    public static final int MAX_T = 16;
    public static final int MAX_TOKEN = 64;
    public static final int MAX_VALUES = 200;
    private static final BencodeDecoder.Options OPTIONS = new BencodeDecoder.Options(6, MAX_DATAGRAM, 512, true);

    private KrpcCodec() {
    }

    public static KrpcMessage decode(byte[] datagram, int length) throws KrpcException {
        if (length > MAX_DATAGRAM) {
            throw new KrpcException(null, KrpcMessage.Error.PROTOCOL, "datagram of " + length + " bytes");
        }
        byte[] in = java.util.Arrays.copyOf(datagram, length);
        BValue top;
        try {
            top = BencodeDecoder.decode(in, OPTIONS);
        } catch (BencodeException e) {
            throw new KrpcException(null, KrpcMessage.Error.PROTOCOL, "not bencode");
        }
        if (!(top instanceof BDict d)) {
            throw new KrpcException(null, KrpcMessage.Error.PROTOCOL, "not a dictionary");
        }
        Optional<BString> tv = d.string("t");
        if (tv.isEmpty() || tv.get().length() == 0 || tv.get().length() > MAX_T) {
            throw new KrpcException(null, KrpcMessage.Error.PROTOCOL, "no transaction id");
        }
        byte[] t = tv.get().bytes();
        String y = d.text("y").orElse("");
        return switch (y) {
            case "q" -> query(t, d);
            case "r" -> response(t, d);
            case "e" -> error(t, d);
            default -> throw new KrpcException(null, KrpcMessage.Error.PROTOCOL, "unknown message type");
        };
    }

    private static KrpcMessage.Query query(byte[] t, BDict d) throws KrpcException {
        String q = d.text("q").orElseThrow(() -> protocol(t, "query without q"));
        BDict a = d.dict("a").orElseThrow(() -> protocol(t, "query without a"));
        NodeId id = id(t, a, "id");
        return switch (q) {
            case "ping" -> new KrpcMessage.Ping(t, id);
            case "find_node" -> new KrpcMessage.FindNode(t, id, id(t, a, "target"));
            case "get_peers" -> new KrpcMessage.GetPeers(t, id, id(t, a, "info_hash"));
            case "announce_peer" -> {
                NodeId hash = id(t, a, "info_hash");
                boolean implied = integer(t, a, "implied_port").orElse(0L) == 1;
                long port = integer(t, a, "port").orElse(implied ? 0L : -1L);
                if (!implied && (port < 1 || port > 65535) || implied && (port < 0 || port > 65535)) {
                    throw protocol(t, "bad port");
                }
                byte[] token = bytes(t, a, "token").orElseThrow(() -> protocol(t, "announce without token"));
                if (token.length > MAX_TOKEN) {
                    throw protocol(t, "token too long");
                }
                yield new KrpcMessage.AnnouncePeer(t, id, hash, (int) port, implied, token);
            }
            default -> throw new KrpcException(t, KrpcMessage.Error.METHOD_UNKNOWN, "Method Unknown");
        };
    }

    /** Responses and errors are never answered, so their faults carry no t (dropped silently). */
    private static KrpcMessage.Response response(byte[] t, BDict d) throws KrpcException {
        BDict r = d.dict("r").orElseThrow(() -> protocol(null, "response without r"));
        NodeId id = id(null, r, "id");
        List<NodeInfo> nodes = List.of();
        Optional<byte[]> compact = bytes(null, r, "nodes");
        if (compact.isPresent()) {
            if (compact.get().length % Compact.NODE != 0) {
                throw protocol(null, "nodes not a multiple of 26 bytes");
            }
            nodes = Compact.nodes(compact.get());
        }
        List<InetSocketAddress> values = new ArrayList<>();
        if (r.has("values")) {
            BList list = r.list("values").orElseThrow(() -> protocol(null, "values not a list"));
            if (list.size() > MAX_VALUES) {
                throw protocol(null, "too many values");
            }
            for (BValue v : list.values()) {
                // 18-byte IPv6 peers can come from dual-stack nodes; we take IPv4 ones only
                if (v instanceof BString s && s.length() == Compact.PEER) {
                    InetSocketAddress a = Compact.peer(s.bytes(), 0);
                    if (a != null) {
                        values.add(a);
                    }
                } else if (!(v instanceof BString)) {
                    throw protocol(null, "value not a string");
                }
            }
        }
        byte[] token = bytes(null, r, "token").orElse(null);
        if (token != null && token.length > MAX_TOKEN) {
            throw protocol(null, "token too long");
        }
        InetSocketAddress ip = null;
        Optional<byte[]> ipBytes = bytes(null, d, "ip");
        if (ipBytes.isPresent() && ipBytes.get().length == Compact.PEER) {
            ip = Compact.peer(ipBytes.get(), 0);
        }
        return new KrpcMessage.Response(t, id, nodes, values, token, ip);
    }

    private static KrpcMessage.Error error(byte[] t, BDict d) throws KrpcException {
        BList e = d.list("e").orElseThrow(() -> protocol(null, "error without e"));
        if (e.size() < 2 || !(e.get(0) instanceof BInt code) || !(e.get(1) instanceof BString text)) {
            throw protocol(null, "error not [code, message]");
        }
        String message = text.text();
        return new KrpcMessage.Error(t, (int) Math.max(0, Math.min(999, code.value())),
                message.length() > 200 ? message.substring(0, 200) : message);
    }

    private static NodeId id(byte[] t, BDict d, String key) throws KrpcException {
        byte[] b = bytes(t, d, key).orElseThrow(() -> protocol(t, "missing " + key));
        if (b.length != NodeId.LENGTH) {
            throw protocol(t, key + " is not 20 bytes");
        }
        return new NodeId(b);
    }

    private static Optional<byte[]> bytes(byte[] t, BDict d, String key) throws KrpcException {
        Optional<BValue> v = d.get(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (!(v.get() instanceof BString s)) {
            throw protocol(t, key + " is not a string");
        }
        return Optional.of(s.bytes());
    }

    private static Optional<Long> integer(byte[] t, BDict d, String key) throws KrpcException {
        Optional<BValue> v = d.get(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (!(v.get() instanceof BInt i)) {
            throw protocol(t, key + " is not an integer");
        }
        return Optional.of(i.value());
    }

    private static KrpcException protocol(byte[] t, String message) {
        return new KrpcException(t, KrpcMessage.Error.PROTOCOL, "Protocol Error: " + message);
    }

    public static byte[] encode(KrpcMessage m) {
        BDict.Builder top = BDict.builder().put("t", m.t());
        switch (m) {
            case KrpcMessage.Query q -> {
                BDict.Builder a = BDict.builder().put("id", q.id().bytes());
                switch (q) {
                    case KrpcMessage.Ping p -> {
                    }
                    case KrpcMessage.FindNode f -> a.put("target", f.target().bytes());
                    case KrpcMessage.GetPeers g -> a.put("info_hash", g.infoHash().bytes());
                    case KrpcMessage.AnnouncePeer ap -> {
                        a.put("info_hash", ap.infoHash().bytes()).put("port", ap.port()).put("token", ap.token());
                        if (ap.impliedPort()) {
                            a.put("implied_port", 1);
                        }
                    }
                }
                top.put("y", "q").put("q", q.method()).put("a", a.build());
            }
            case KrpcMessage.Response r -> {
                BDict.Builder body = BDict.builder().put("id", r.id().bytes());
                if (!r.nodes().isEmpty()) {
                    body.put("nodes", Compact.nodes(r.nodes()));
                }
                if (!r.values().isEmpty()) {
                    List<BValue> values = new ArrayList<>();
                    r.values().forEach(v -> values.add(new BString(Compact.peer(v))));
                    body.put("values", new BList(values));
                }
                if (r.token() != null) {
                    body.put("token", r.token());
                }
                if (r.ip() != null) {
                    top.put("ip", Compact.peer(r.ip()));
                }
                top.put("y", "r").put("r", body.build());
            }
            case KrpcMessage.Error e -> top.put("y", "e").put("e", BList.of(new BInt(e.code()), BString.of(e.message())));
        }
        return BencodeEncoder.encode(top.build());
    }
}
