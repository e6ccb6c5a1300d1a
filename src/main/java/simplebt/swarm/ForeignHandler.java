package simplebt.swarm;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.function.Consumer;

/**
 * What the listener does with an incoming connection that does not start with the plain
 * BitTorrent handshake (0x13 "BitTorrent protocol"). The secure channel plugs in here: it
 * reads its own greeting from {@code in} (nothing has been consumed yet), and hands the
 * decrypted pipe to {@code accept}. The default closes the socket.
 *
 * <p>It runs on the listener's handshake thread, under the handshake deadline (the listener
 * closes the socket when it passes): it must return once the connection is handed on, so the
 * connection itself runs on another thread ({@code accept} starts one).
 */
@FunctionalInterface
public interface ForeignHandler {
    ForeignHandler CLOSE = (socket, in, accept) -> socket.close();

    void handle(Socket socket, InputStream in, Consumer<PeerStreams> accept) throws IOException;
}
