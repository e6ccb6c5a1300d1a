package simplebt.dht;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

import simplebt.bencode.BDict;
import simplebt.bencode.BValue;
import simplebt.bencode.BencodeDecoder;
import simplebt.bencode.BencodeEncoder;
import simplebt.bencode.BencodeException;
import simplebt.log.Log;

/**
 * The routing table between runs: {@code dht.dat} in the node's config dir, a bencoded dict
 * with our id and the known nodes in compact form. Written to a temporary file and moved over
 * the old one, so a crash mid-write leaves the previous table, never half of one.
 */
public final class TableFile {
    public static final String NAME = "dht.dat";
    /** A saved table is a few hundred nodes at most; anything far bigger is not ours. */
    private static final long MAX_BYTES = 1 << 20;

    /** {@code ip}: our external address as others saw it (BEP 42), or null. */
    public record Saved(NodeId id, List<NodeInfo> nodes, InetAddress ip) {
    }

    private TableFile() {
    }

    public static void save(Path file, NodeId id, List<NodeInfo> nodes, InetAddress ip) throws IOException {
        BDict.Builder d = BDict.builder().put("id", id.bytes()).put("nodes", Compact.nodes(nodes));
        if (ip instanceof Inet4Address) {
            d.put("ip", ip.getAddress());
        }
        byte[] bytes = BencodeEncoder.encode(d.build());
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Empty when there is no file or it is not a table (then we start afresh and say so in the debug log). */
    public static Optional<Saved> load(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
                return Optional.empty();
            }
            BValue v = BencodeDecoder.decode(Files.readAllBytes(file));
            if (v instanceof BDict d) {
                Optional<byte[]> id = d.string("id").map(s -> s.bytes()).filter(b -> b.length == NodeId.LENGTH);
                Optional<byte[]> nodes = d.string("nodes").map(s -> s.bytes()).filter(b -> b.length % Compact.NODE == 0);
                if (id.isPresent() && nodes.isPresent()) {
                    InetAddress ip = null;
                    Optional<byte[]> ipBytes = d.string("ip").map(s -> s.bytes()).filter(b -> b.length == 4);
                    if (ipBytes.isPresent()) {
                        ip = InetAddress.getByAddress(ipBytes.get());
                    }
                    return Optional.of(new Saved(new NodeId(id.get()), Compact.nodes(nodes.get()), ip));
                }
            }
            Log.debug("dht: " + file + " is not a routing table; starting afresh");
        } catch (IOException | BencodeException e) {
            Log.debug("dht: cannot read " + file + " (" + e.getMessage() + "); starting afresh");
        }
        return Optional.empty();
    }
}
