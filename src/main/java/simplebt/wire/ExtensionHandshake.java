package simplebt.wire;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import simplebt.bencode.BDict;
import simplebt.bencode.BInt;
import simplebt.bencode.BValue;
import simplebt.bencode.BencodeDecoder;
import simplebt.bencode.BencodeEncoder;
import simplebt.bencode.BencodeException;

/**
 * BEP 10 extension handshake (extended message id 0): {@code m} maps extension names to the
 * ids the sender wants to receive them on, {@code v} names the client, {@code p} is its listen
 * port and {@code reqq} how many outstanding requests it keeps without dropping;
 * {@code metadata_size} (BEP 9) is the length of the info dictionary it can send.
 */
public record ExtensionHandshake(Map<String, Integer> extensions, Optional<String> client,
                                 Optional<Integer> port, Optional<Integer> requestQueue, Optional<Integer> metadataSize) {
    public ExtensionHandshake {
        extensions = Map.copyOf(extensions);
    }

    public ExtensionHandshake(Map<String, Integer> extensions, Optional<String> client,
                              Optional<Integer> port, Optional<Integer> requestQueue) {
        this(extensions, client, port, requestQueue, Optional.empty());
    }

    public byte[] encode() {
        BDict.Builder m = BDict.builder();
        new TreeMap<>(extensions).forEach((name, id) -> m.put(name, id));
        BDict.Builder root = BDict.builder().put("m", m.build());
        client.ifPresent(v -> root.put("v", v));
        port.ifPresent(p -> root.put("p", p));
        requestQueue.ifPresent(q -> root.put("reqq", q));
        metadataSize.ifPresent(n -> root.put("metadata_size", n));
        return BencodeEncoder.encode(root.build());
    }

    /** Ours has ~10 values; a client listing every extension it knows has a few hundred. */
    private static final BencodeDecoder.Options DECODING = BencodeDecoder.Options.LENIENT.withMaxValues(10_000);

    /**
     * Lenient: other clients' bencode (unsorted or duplicate keys, trailing whitespace), keys it
     * does not know, and known keys of the wrong type (dropped) are all accepted; only input that
     * is not a bencoded dictionary is an error.
     */
    public static ExtensionHandshake decode(byte[] payload) throws WireException {
        BValue value;
        try {
            value = BencodeDecoder.decode(payload, DECODING);
        } catch (BencodeException e) {
            throw new WireException("extension handshake is not valid bencode: " + e.getMessage());
        }
        if (!(value instanceof BDict dict)) {
            throw new WireException("extension handshake must be a dictionary");
        }
        Map<String, Integer> extensions = new TreeMap<>();
        dict.dict("m").ifPresent(m -> m.entries().forEach((k, v) -> {
            if (v instanceof BInt i && i.value() >= 0 && i.value() <= 255) {
                extensions.put(k.text(), (int) i.value());
            }
        }));
        return new ExtensionHandshake(extensions, dict.text("v"),
                dict.integer("p").filter(p -> p > 0 && p < 65536).map(Long::intValue),
                dict.integer("reqq").filter(q -> q > 0).map(q -> (int) Math.min(q, 100_000)),
                // a size over the limit is kept (clamped) so the fetcher can refuse that peer
                dict.integer("metadata_size").filter(n -> n > 0).map(n -> (int) Math.min(n, Integer.MAX_VALUE)));
    }
}
