package simplebt.wire;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import simplebt.metainfo.InfoHash;

/**
 * The BEP 3 handshake: {@code <pstrlen=19><pstr="BitTorrent protocol"><reserved:8><info_hash:20><peer_id:20>}.
 * We set the BEP 10 extension bit (reserved[5] & 0x10) and the BEP 6 fast bit (reserved[7] & 0x04).
 */
public record Handshake(byte[] reserved, InfoHash infoHash, byte[] peerId) {
    public static final String PROTOCOL = "BitTorrent protocol";
    public static final int LENGTH = 68;
    private static final byte[] PSTR = PROTOCOL.getBytes(StandardCharsets.US_ASCII);
    /** BEP 20 Azureus style; "SB" is listed there for Swiftbit, "SJ" (Simple-BitTorrent, Java) is free. */
    public static final String CLIENT_PREFIX = "-SJ0001-";

    public Handshake {
        if (reserved.length != 8 || peerId.length != 20) {
            throw new IllegalArgumentException("reserved must be 8 bytes and peer id 20");
        }
        reserved = reserved.clone();
        peerId = peerId.clone();
    }

    /** Our handshake: extension protocol (BEP 10) and fast extension (BEP 6) bits on. */
    public static Handshake ours(InfoHash infoHash, byte[] peerId) {
        byte[] reserved = new byte[8];
        reserved[5] = 0x10;
        reserved[7] = 0x04;
        return new Handshake(reserved, infoHash, peerId);
    }

    /** {@code -SJ0001-} and 12 random bytes (Azureus-style client id, BEP 20). */
    public static byte[] newPeerId() {
        byte[] id = new byte[20];
        new SecureRandom().nextBytes(id);
        System.arraycopy(CLIENT_PREFIX.getBytes(StandardCharsets.US_ASCII), 0, id, 0, 8);
        return id;
    }

    @Override
    public byte[] reserved() {
        return reserved.clone();
    }

    @Override
    public byte[] peerId() {
        return peerId.clone();
    }

    public boolean supportsExtensions() {
        return (reserved[5] & 0x10) != 0;
    }

    /** BEP 6: the fast extension is on between two peers only when both set this bit. */
    public boolean supportsFast() {
        return (reserved[7] & 0x04) != 0;
    }

    public void write(DataOutput out) throws IOException {
        out.writeByte(PSTR.length);
        out.write(PSTR);
        out.write(reserved);
        out.write(infoHash.bytes());
        out.write(peerId);
    }

    public static Handshake read(DataInput in) throws IOException {
        int length = in.readUnsignedByte();
        if (length != PSTR.length) {
            throw new WireException("handshake: protocol string length must be 19, got " + length);
        }
        byte[] pstr = new byte[PSTR.length];
        in.readFully(pstr);
        if (!Arrays.equals(pstr, PSTR)) {
            throw new WireException("handshake: protocol must be 'BitTorrent protocol', got '"
                    + new String(pstr, StandardCharsets.ISO_8859_1) + "'");
        }
        byte[] reserved = new byte[8];
        in.readFully(reserved);
        byte[] hash = new byte[InfoHash.LENGTH];
        in.readFully(hash);
        byte[] peerId = new byte[20];
        in.readFully(peerId);
        return new Handshake(reserved, new InfoHash(hash), peerId);
    }

    /** Printable client id for logs: "-SJ0001-" style prefix, else hex. */
    public static String describePeerId(byte[] id) {
        boolean printable = true;
        for (int i = 0; i < 8; i++) {
            printable &= id[i] >= 0x20 && id[i] < 0x7f;
        }
        return printable ? new String(id, 0, 8, StandardCharsets.US_ASCII) : HexFormat.of().formatHex(id, 0, 8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Handshake h && Arrays.equals(reserved, h.reserved) && infoHash.equals(h.infoHash)
                && Arrays.equals(peerId, h.peerId);
    }

    @Override
    public int hashCode() {
        return 31 * infoHash.hashCode() + Arrays.hashCode(peerId);
    }

    @Override
    public String toString() {
        return "Handshake[" + infoHash.hex() + ", " + describePeerId(peerId) + "]";
    }
}
