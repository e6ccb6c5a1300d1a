package simplebt.swarm;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;

import simplebt.metainfo.Metainfo;
import simplebt.wire.Handshake;
import simplebt.wire.Message;
import simplebt.wire.MessageCodec;
import simplebt.wire.TorrentShape;

/**
 * The accepting side of a scripted test peer that claims every piece: it answers the BEP 3
 * handshake, sends a full bitfield and an unchoke, and hands the streams to the test, which
 * decides what (if anything) it serves.
 */
public record ScriptedSeeder(DataInputStream in, DataOutputStream out, MessageCodec codec) {

    public static ScriptedSeeder greet(Socket s, Metainfo meta) throws IOException {
        return greet(s, meta, Handshake.newPeerId());
    }

    public static ScriptedSeeder greet(Socket s, Metainfo meta, byte[] peerId) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        Handshake.read(in);
        Handshake.ours(meta.infoHash(), peerId).write(out);
        MessageCodec codec = new MessageCodec(TorrentShape.of(meta.info()));
        codec.write(out, new Message.Bitfield(Bitfield.full(meta.info().pieceCount()).toBytes()));
        codec.write(out, new Message.Unchoke());
        out.flush();
        return new ScriptedSeeder(in, out, codec);
    }
}
