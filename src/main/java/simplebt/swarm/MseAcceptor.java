package simplebt.swarm;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;

import simplebt.log.Log;
import simplebt.metainfo.InfoHash;
import simplebt.mse.CryptoMethod;
import simplebt.mse.MseConnection;
import simplebt.mse.MseException;
import simplebt.mse.MseSocket;
import simplebt.mse.TorrentLookup;
import simplebt.secure.EncryptionMode;

/**
 * Incoming connections that open with neither the plain handshake nor our secure prefix: taken as
 * a Message Stream Encryption attempt (the first 96 bytes a Diffie-Hellman key). The torrent is
 * found through {@code lookup}; the BitTorrent handshake that follows must name the same one.
 * Runs under the listener's handshake deadline; the handshake itself has its own, shorter one.
 */
final class MseAcceptor implements ForeignHandler {
    private final TorrentLookup lookup;

    MseAcceptor(TorrentLookup lookup) {
        this.lookup = lookup;
    }

    /**
     * The host's {@link OtherHandshake}: the MSE responder over the served torrents whose
     * {@code --encryption} speaks MSE. With none of them, the connection is closed before a byte
     * is sent back (an {@code off} or {@code required} node does not answer MSE at all); the SKEY
     * is only learnt after the key exchange, so with some of them a peer asking for another
     * torrent gets our key and then the close.
     */
    static void forServed(Socket socket, InputStream in, ServedTorrents served, Consumer<PeerStreams> route) throws IOException {
        List<InfoHash> speaking = served.infoHashes().stream()
                .filter(h -> served.encryption(h).filter(EncryptionMode::speaksMse).isPresent()).toList();
        if (speaking.isEmpty()) {
            OtherHandshake.REFUSE.handle(socket, in, served, route);
            return;
        }
        new MseAcceptor(TorrentLookup.of(() -> speaking)).handle(socket, in, route);
    }

    @Override
    public void handle(Socket socket, InputStream in, Consumer<PeerStreams> accept) throws IOException {
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        MseConnection c;
        try {
            c = MseSocket.accept(socket, in, lookup, EnumSet.allOf(CryptoMethod.class), MseSocket.DEFAULT_TIMEOUT,
                    PlainTransport.STREAM_BUFFER);
        } catch (MseException e) {
            return; // logged, socket closed
        }
        BufferedInputStream inner = new BufferedInputStream(c.in(), PlainTransport.STREAM_BUFFER);
        if (!SecureAcceptor.handshakeNames(inner, socket, c.infoHash())) {
            socket.close();
            Log.debug("mse: " + remote + " sent a handshake for another torrent than its MSE handshake named; closed");
            return;
        }
        accept.accept(new PeerStreams(inner, c.out(), socket, remote));
    }
}
