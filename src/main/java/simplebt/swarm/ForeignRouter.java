package simplebt.swarm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.util.function.Consumer;

import simplebt.secure.SecureChannel;

/**
 * Tells our secure channel's prefix from anything else (in {@code preferred} mode, an MSE
 * attempt) and hands the connection, with nothing consumed, to the matching handler.
 */
final class ForeignRouter implements ForeignHandler {
    private final ForeignHandler secure;
    private final ForeignHandler other;

    ForeignRouter(ForeignHandler secure, ForeignHandler other) {
        this.secure = secure;
        this.other = other;
    }

    @Override
    public void handle(Socket socket, InputStream in, Consumer<PeerStreams> accept) throws IOException {
        byte[] prefix = in.readNBytes(SecureChannel.PREFIX_LENGTH); // from the listener's head: it read 20 already
        InputStream again = new SequenceInputStream(new ByteArrayInputStream(prefix), in);
        (SecureChannel.looksSecure(prefix) ? secure : other).handle(socket, again, accept);
    }
}
