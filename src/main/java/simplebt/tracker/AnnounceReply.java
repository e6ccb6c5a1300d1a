package simplebt.tracker;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import simplebt.bencode.BDict;
import simplebt.bencode.BList;
import simplebt.bencode.BValue;
import simplebt.bencode.BencodeEncoder;

/**
 * A successful announce reply (BEP 3) with compact peers (BEP 23, IPv6 in {@code peers6}
 * per BEP 7) or the dictionary list, plus our two keys: {@code sbt secret} for members and
 * {@code sbt peers}, the compact subset of returned peers that are our own nodes.
 */
record AnnounceReply(int interval, int minInterval, int complete, int incomplete, List<PeerEntry> peers,
                     boolean compact, boolean noPeerId, Optional<byte[]> secret) {

    byte[] encode() {
        return compact ? encodeCompact() : encodeDictModel();
    }

    /**
     * The hot path, written straight to bytes: keys in the sorted order bencode requires
     * (complete, incomplete, interval, min interval, peers, peers6, sbt peers, sbt secret).
     * The peers are counted first so each list is written once, straight into the reply.
     */
    private byte[] encodeCompact() {
        int v4 = 0;
        int v6 = 0;
        int ours = 0;
        for (PeerEntry p : peers) {
            if (p.isIpv4()) {
                v4++;
                ours += p.id().isOurNode() ? 1 : 0;
            } else {
                v6++;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(160 + (v4 + ours) * 6 + v6 * 18
                + secret.map(s -> s.length).orElse(0));
        out.write('d');
        intEntry(out, "8:complete", complete);
        intEntry(out, "10:incomplete", incomplete);
        intEntry(out, "8:interval", interval);
        intEntry(out, "12:min interval", minInterval);
        ascii(out, "5:peers");
        compactEntries(out, v4, true, false);
        if (v6 > 0) {
            ascii(out, "6:peers6");
            compactEntries(out, v6, false, false);
        }
        ascii(out, "9:sbt peers");
        compactEntries(out, ours, true, true);
        secret.ifPresent(s -> stringEntry(out, "10:sbt secret", s));
        out.write('e');
        return out.toByteArray();
    }

    /** A bencoded string of {@code count} compact entries: one family, optionally only our nodes. */
    private void compactEntries(ByteArrayOutputStream out, int count, boolean ipv4, boolean onlyOurs) {
        ascii(out, Integer.toString(count * (ipv4 ? 6 : 18)));
        out.write(':');
        for (PeerEntry p : peers) {
            if (p.isIpv4() == ipv4 && (!onlyOurs || p.id().isOurNode())) {
                out.writeBytes(p.ip());
                out.write(p.port() >>> 8);
                out.write(p.port() & 0xff);
            }
        }
    }

    private static void intEntry(ByteArrayOutputStream out, String key, long value) {
        ascii(out, key);
        out.write('i');
        ascii(out, Long.toString(value));
        out.write('e');
    }

    private static void stringEntry(ByteArrayOutputStream out, String key, byte[] value) {
        ascii(out, key);
        ascii(out, value.length + ":");
        out.writeBytes(value);
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        for (int i = 0; i < s.length(); i++) {
            out.write(s.charAt(i));
        }
    }

    private byte[] encodeDictModel() {
        BDict.Builder d = BDict.builder()
                .put("interval", interval)
                .put("min interval", minInterval)
                .put("complete", complete)
                .put("incomplete", incomplete);
        d.put("peers", dictList());
        secret.ifPresent(s -> d.put("sbt secret", s));
        List<PeerEntry> ours = peers.stream().filter(p -> p.id().isOurNode()).toList();
        d.put("sbt peers", compactList(ours, true));
        return BencodeEncoder.encode(d.build());
    }

    /** BEP 23: 4-byte address + 2-byte port, big-endian (BEP 7: 16 + 2 for IPv6). */
    static byte[] compactList(List<PeerEntry> peers, boolean ipv4) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(peers.size() * 6);
        for (PeerEntry p : peers) {
            if (p.isIpv4() == ipv4) {
                out.writeBytes(p.ip());
                out.write(p.port() >>> 8);
                out.write(p.port() & 0xff);
            }
        }
        return out.toByteArray();
    }

    private BList dictList() {
        List<BValue> list = new ArrayList<>(peers.size());
        for (PeerEntry p : peers) {
            BDict.Builder peer = BDict.builder().put("ip", p.ipText()).put("port", p.port());
            if (!noPeerId) {
                peer.put("peer id", p.id().bytes());
            }
            list.add(peer.build());
        }
        return new BList(list);
    }

    static byte[] failure(String reason) {
        return BencodeEncoder.encode(BDict.builder().put("failure reason", reason).build());
    }
}
