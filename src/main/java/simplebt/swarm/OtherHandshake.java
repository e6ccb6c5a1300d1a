package simplebt.swarm;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.function.Consumer;

import simplebt.log.Log;

/**
 * An incoming connection whose first bytes are neither the plain BEP 3 handshake nor our secure
 * hello: the seam where an MSE/PE responder (BEP 8's message stream encryption) plugs in. The
 * default refuses it with a debug line.
 *
 * <p>It runs on the listener's handshake thread under the handshake deadline, like
 * {@link ForeignHandler}. {@code in} replays every byte from the first one (nothing consumed).
 * {@code served} lists the torrents the port serves (the SKEY candidates). Once the stream is
 * decrypted, {@code route} takes it: it reads (without consuming) the BEP 3 handshake inside,
 * and starts the named torrent's connection on a thread of its own, or closes the pipe if no
 * running torrent has that info hash. {@code route} does not apply the torrent's
 * {@code --encryption} policy: check {@link ServedTorrents#encryption} first.
 */
@FunctionalInterface
public interface OtherHandshake {
    OtherHandshake REFUSE = (socket, in, served, route) -> {
        Log.debug("incoming connection from " + socket.getRemoteSocketAddress()
                + " refused: neither plain BitTorrent nor our secure prefix (MSE is not supported)");
        socket.close();
    };

    void handle(Socket socket, InputStream in, ServedTorrents served, Consumer<PeerStreams> route) throws IOException;
}
