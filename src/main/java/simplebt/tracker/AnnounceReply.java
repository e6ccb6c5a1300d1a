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
        BDict.Builder d = BDict.builder()
                .put("interval", interval)
                .put("min interval", minInterval)
                .put("complete", complete)
                .put("incomplete", incomplete);
        if (compact) {
            d.put("peers", compactList(peers, true));
            byte[] v6 = compactList(peers, false);
            if (v6.length > 0) {
                d.put("peers6", v6);
            }
        } else {
            d.put("peers", dictList());
        }
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
