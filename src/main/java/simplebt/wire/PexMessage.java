package simplebt.wire;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import simplebt.bencode.BDict;
import simplebt.bencode.BString;
import simplebt.bencode.BValue;
import simplebt.bencode.BencodeDecoder;
import simplebt.bencode.BencodeEncoder;
import simplebt.bencode.BencodeException;

/**
 * BEP 11 {@code ut_pex}: peers the sender connected to ({@code added}, compact IPv4 6 bytes each,
 * with one {@code added.f} flag byte per peer; {@code added6}, 18 bytes each) and disconnected
 * from ({@code dropped}, {@code dropped6}). Decoding is strict about the compact strings (a
 * length that is not a whole number of entries is an error) and refuses more than
 * {@link #MAX_ENTRIES} entries in a list; entries with port 0 are skipped.
 */
public record PexMessage(List<InetSocketAddress> added, byte[] addedFlags, List<InetSocketAddress> added6,
                         List<InetSocketAddress> dropped) {
    public static final int FLAG_PREFERS_ENCRYPTION = 0x01;
    public static final int FLAG_SEED = 0x02;
    public static final int FLAG_REACHABLE = 0x10;
    /** libtorrent sends at most 100 per list; a list longer than this is hostile. */
    public static final int MAX_ENTRIES = 200;
    private static final BencodeDecoder.Options DECODING = BencodeDecoder.Options.LENIENT.withMaxValues(64);

    public PexMessage {
        added = List.copyOf(added);
        added6 = List.copyOf(added6);
        dropped = List.copyOf(dropped);
        addedFlags = addedFlags.clone();
        if (addedFlags.length != 0 && addedFlags.length != added.size()) {
            throw new IllegalArgumentException("added.f must have one byte per added peer");
        }
    }

    @Override
    public byte[] addedFlags() {
        return addedFlags.clone();
    }

    public byte[] encode() {
        BDict.Builder d = BDict.builder().put("added", compact(added, 4));
        if (addedFlags.length > 0) {
            d.put("added.f", addedFlags);
        }
        if (!added6.isEmpty()) {
            d.put("added6", compact(added6, 16));
        }
        d.put("dropped", compact(dropped, 4));
        return BencodeEncoder.encode(d.build());
    }

    public static PexMessage decode(byte[] payload) throws WireException {
        BValue value;
        try {
            value = BencodeDecoder.decode(payload, DECODING);
        } catch (BencodeException e) {
            throw new WireException("ut_pex message is not valid bencode: " + e.getMessage());
        }
        if (!(value instanceof BDict dict)) {
            throw new WireException("ut_pex message must be a dictionary");
        }
        List<InetSocketAddress> added = new ArrayList<>();
        List<Integer> keptAt = parse(dict, "added", 4, added);
        List<InetSocketAddress> added6 = new ArrayList<>();
        parse(dict, "added6", 16, added6);
        List<InetSocketAddress> dropped = new ArrayList<>();
        parse(dict, "dropped", 4, dropped);
        byte[] flags = new byte[0];
        Optional<byte[]> f = dict.string("added.f").map(BString::bytes);
        if (f.isPresent() && f.get().length == dict.string("added").map(a -> a.bytes().length / 6).orElse(0)) {
            // one flag per entry as sent; keep those of the entries we kept
            flags = new byte[keptAt.size()];
            for (int i = 0; i < keptAt.size(); i++) {
                flags[i] = f.get()[keptAt.get(i)];
            }
        }
        return new PexMessage(added, flags, added6, dropped);
    }

    /** Fills {@code out}; returns the index in the sent list of each kept entry. */
    private static List<Integer> parse(BDict dict, String key, int addressLength, List<InetSocketAddress> out)
            throws WireException {
        List<Integer> keptAt = new ArrayList<>();
        Optional<BValue> v = dict.get(key);
        if (v.isEmpty()) {
            return keptAt;
        }
        if (!(v.get() instanceof BString s)) {
            throw new WireException("ut_pex " + key + " must be a string");
        }
        byte[] b = s.bytes();
        int entry = addressLength + 2;
        if (b.length % entry != 0) {
            throw new WireException("ut_pex " + key + " of " + b.length + " bytes is not a list of " + entry + "-byte entries");
        }
        if (b.length / entry > MAX_ENTRIES) {
            throw new WireException("ut_pex " + key + " has " + b.length / entry + " entries, more than " + MAX_ENTRIES);
        }
        for (int i = 0; i < b.length / entry; i++) {
            int at = i * entry;
            int port = (b[at + addressLength] & 0xff) << 8 | (b[at + addressLength + 1] & 0xff);
            if (port == 0) {
                continue;
            }
            try {
                out.add(new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(b, at, at + addressLength)), port));
                keptAt.add(i);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("4 or 16 bytes are always an address", e);
            }
        }
        return keptAt;
    }

    private static byte[] compact(List<InetSocketAddress> peers, int addressLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(peers.size() * (addressLength + 2));
        for (InetSocketAddress p : peers) {
            byte[] a = p.getAddress().getAddress();
            if (a.length != addressLength) {
                throw new IllegalArgumentException(p + " is not an IPv" + (addressLength == 4 ? 4 : 6) + " address");
            }
            out.writeBytes(a);
            out.write(p.getPort() >> 8);
            out.write(p.getPort() & 0xff);
        }
        return out.toByteArray();
    }

    /** For the sender: which list an address goes in. */
    public static boolean isIpv4(InetSocketAddress a) {
        return a.getAddress() instanceof Inet4Address;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PexMessage m && m.added.equals(added) && Arrays.equals(m.addedFlags, addedFlags)
                && m.added6.equals(added6) && m.dropped.equals(dropped);
    }

    @Override
    public int hashCode() {
        return added.hashCode() * 31 + dropped.hashCode();
    }

    @Override
    public String toString() {
        return "PexMessage[added=" + added + ", added6=" + added6 + ", dropped=" + dropped + "]";
    }
}
