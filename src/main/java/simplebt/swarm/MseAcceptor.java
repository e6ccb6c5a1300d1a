package simplebt.swarm;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.EnumSet;
import java.util.function.Consumer;

import simplebt.log.Log;
import simplebt.mse.CryptoMethod;
import simplebt.mse.MseConnection;
import simplebt.mse.MseException;
import simplebt.mse.MseSocket;
import simplebt.mse.TorrentLookup;

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
