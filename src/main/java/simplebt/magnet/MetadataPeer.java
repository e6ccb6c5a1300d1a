package simplebt.magnet;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import simplebt.metainfo.InfoHash;
import simplebt.wire.ExtensionHandshake;
import simplebt.wire.Handshake;
import simplebt.wire.MessageCodec;
import simplebt.wire.MetadataMessage;
import simplebt.wire.WireException;

/**
 * Fetches a torrent's info dictionary from ONE peer over BEP 9 {@code ut_metadata}: handshake,
 * extension handshake, every piece in order (a few requests ahead), then the SHA-1 of the whole
 * against the info hash. Any peer that lies - no ut_metadata, a size over the limit or one that
 * changes, a piece of the wrong length, a reject, a dictionary that does not hash right - fails
 * with {@link WireException} and the fetcher tries the others. One thread, one socket.
 */
final class MetadataPeer {
    /** Our id for ut_metadata messages sent to us (the same number the swarm's server uses). */
    static final int OUR_ID = 1;
    private static final int AHEAD = 4;
    /** Frames other than extended ones (bitfield, have...) are skipped; a bitfield of a 1 TiB torrent of 16 KiB pieces is 8 MiB. */
    private static final int MAX_FRAME = 8 * 1024 * 1024 + 16;

    private final InfoHash infoHash;
    private final byte[] peerId;
    private final int listenPort;

    MetadataPeer(InfoHash infoHash, byte[] peerId, int listenPort) {
        this.infoHash = infoHash;
        this.peerId = peerId.clone();
        this.listenPort = listenPort;
    }

    /** @param socket connected; closed by the caller (closing it from another thread aborts this fetch) */
    byte[] fetch(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        Handshake.ours(infoHash, peerId).write(out);
        out.flush();
        Handshake theirs = Handshake.read(in);
        if (!theirs.infoHash().equals(infoHash)) {
            throw new WireException("answered for another torrent");
        }
        if (!theirs.supportsExtensions()) {
            throw new WireException("does not speak the extension protocol (BEP 10)");
        }
        ExtensionHandshake ours = new ExtensionHandshake(Map.of("ut_metadata", OUR_ID), Optional.of("SimpleBT 0.1"),
                listenPort > 0 ? Optional.of(listenPort) : Optional.empty(), Optional.empty());
        send(out, 0, ours.encode());
        ExtensionHandshake ext = ExtensionHandshake.decode(nextExtended(in, 0));
        int theirId = ext.extensions().getOrDefault("ut_metadata", 0);
        if (theirId == 0) {
            throw new WireException("does not offer ut_metadata");
        }
        int size = ext.metadataSize().orElseThrow(() -> new WireException("sent no metadata_size"));
        if (size > MetadataMessage.MAX_METADATA_SIZE) {
            throw new WireException("metadata_size " + size + " is over the limit of " + MetadataMessage.MAX_METADATA_SIZE);
        }
        byte[] info = new byte[size];
        int pieces = (size + MetadataMessage.PIECE_SIZE - 1) / MetadataMessage.PIECE_SIZE;
        int asked = 0;
        for (int got = 0; got < pieces; got++) {
            while (asked < pieces && asked < got + AHEAD) {
                send(out, theirId, new MetadataMessage.Request(asked++).encode());
            }
            MetadataMessage.Data data = nextData(in);
            int from = got * MetadataMessage.PIECE_SIZE;
            int length = Math.min(MetadataMessage.PIECE_SIZE, size - from);
            if (data.piece() != got || data.totalSize() != size || data.bytes().length != length) {
                throw new WireException("sent metadata piece " + data.piece() + " of " + data.bytes().length
                        + " bytes, total " + data.totalSize() + "; expected piece " + got + " of " + length + ", total " + size);
            }
            System.arraycopy(data.bytes(), 0, info, from, length);
        }
        if (!Arrays.equals(sha1(info), infoHash.bytes())) {
            throw new WireException("sent metadata that does not match the info hash");
        }
        return info;
    }

    /** The next data message; a request from the peer (it fetches too) gets no answer, a reject ends it. */
    private static MetadataMessage.Data nextData(DataInputStream in) throws IOException {
        for (int requests = 0; requests < 1000; requests++) {
            MetadataMessage m = MetadataMessage.decode(nextExtended(in, OUR_ID));
            if (m instanceof MetadataMessage.Data data) {
                return data;
            }
            if (m instanceof MetadataMessage.Reject) {
                throw new WireException("rejected metadata piece " + m.piece());
            }
        }
        throw new WireException("sent 1,000 metadata requests");
    }

    private static void send(DataOutputStream out, int extendedId, byte[] payload) throws IOException {
        out.writeInt(2 + payload.length);
        out.writeByte(20);
        out.writeByte(extendedId);
        out.write(payload);
        out.flush();
    }

    /** The payload of the next extended message with this id; everything else is read past. */
    private static byte[] nextExtended(DataInputStream in, int wantedId) throws IOException {
        for (int skipped = 0; skipped < 10_000; skipped++) {
            int length = in.readInt();
            if (length < 0 || length > MAX_FRAME) {
                throw new WireException("frame of " + length + " bytes");
            }
            if (length == 0) {
                continue; // keep-alive
            }
            int id = in.readUnsignedByte();
            if (id == 20 && length >= 2) {
                if (length > 2 + MessageCodec.MAX_EXTENDED) {
                    throw new WireException("extended message of " + length + " bytes");
                }
                int extendedId = in.readUnsignedByte();
                byte[] payload = new byte[length - 2];
                in.readFully(payload);
                if (extendedId == wantedId) {
                    return payload;
                }
            } else {
                in.skipNBytes(length - 1);
            }
        }
        throw new WireException("sent 10,000 messages without the one awaited");
    }

    static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    static String describe(InetSocketAddress a) {
        return PeerAddress.format(a);
    }
}
