package simplebt.swarm;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

import simplebt.log.Log;
import simplebt.metainfo.InfoHash;
import simplebt.mse.MseConnection;
import simplebt.mse.MseException;
import simplebt.mse.MseMemory;
import simplebt.mse.MseSocket;

/**
 * Outgoing connections to standard clients in {@code preferred} mode: Message Stream Encryption
 * first (offering RC4 and plaintext; the peer selects), so that a client set to require encryption
 * takes our connection; if the peer closes or fails during that handshake, one plain retry. A peer
 * that sent no key back does not speak MSE and is remembered ({@link MseMemory}), so later dials
 * go plain at once. Our own nodes never get here: {@link SecureConnector} reaches them over our
 * secure channel.
 */
final class MseConnector implements PeerConnector {
    private final InfoHash infoHash;
    private final MseMemory memory;
    private final PeerConnector plain;
    private final Duration timeout;

    MseConnector(InfoHash infoHash, MseMemory memory, PeerConnector plain, Duration timeout) {
        this.infoHash = infoHash;
        this.memory = memory;
        this.plain = plain;
        this.timeout = timeout;
    }

    @Override
    public PeerStreams connect(InetSocketAddress peer) throws IOException {
        if (memory.plan(infoHash, peer) == MseMemory.Plan.PLAIN) {
            return plain.connect(peer);
        }
        Socket socket = PlainTransport.open(peer);
        try {
            MseConnection c = MseSocket.connect(socket, infoHash, timeout, PlainTransport.STREAM_BUFFER); // closes on failure
            memory.worked(infoHash, peer);
            return new PeerStreams(new BufferedInputStream(c.in(), PlainTransport.STREAM_BUFFER), c.out(), socket, peer);
        } catch (MseException e) {
            if (e.kind() == MseException.Kind.NO_ANSWER) {
                memory.refused(infoHash, peer);
            }
            Log.debug("mse: " + peer + ": " + e.getMessage() + "; reconnecting plain");
            return plain.connect(peer);
        }
    }
}
