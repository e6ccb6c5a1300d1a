package simplebt.swarm;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import simplebt.log.Log;
import simplebt.wire.ExtensionHandshake;
import simplebt.wire.Handshake;
import simplebt.wire.Message;
import simplebt.wire.WireException;

/**
 * The BEP 3 handshake of one connection, on its reader thread: the dialing side speaks first.
 * Refuses another torrent and ourselves (remembering the address we dialed, so it is not
 * dialed again; the accepting side answers before it hangs up, so that the dialing side learns it).
 */
final class PeerHandshake {
    private PeerHandshake() {
    }

    /** The remote's handshake, once it checked out and ours was sent. */
    static Handshake exchange(Swarm swarm, DataInputStream in, DataOutputStream out, boolean outgoing,
                              Optional<InetSocketAddress> dialed, String remote) throws IOException {
        Handshake ours = Handshake.ours(swarm.infoHash(), swarm.peerId());
        if (outgoing) {
            ours.write(out);
            out.flush();
        }
        Handshake theirs = Handshake.read(in);
        if (!theirs.infoHash().equals(swarm.infoHash())) {
            throw new WireException("handshake for another torrent " + theirs.infoHash().hex());
        }
        if (Arrays.equals(theirs.peerId(), swarm.peerId())) {
            dialed.ifPresent(swarm.peers()::markSelf);
            if (!outgoing) {
                // We dialed ourselves. Only this side has seen the peer id so far: answer, so the
                // dialing side sees it too and remembers the address it dialed as ours.
                ours.write(out);
                out.flush();
            }
            throw new WireException("connected to ourselves");
        }
        if (!outgoing) {
            ours.write(out);
            out.flush();
        }
        Log.debug("handshake with " + remote + " (" + Handshake.describePeerId(theirs.peerId()) + ")");
        return theirs;
    }

    /** BEP 10: our listen port and how many requests we queue, for a peer that supports extensions. */
    static Optional<Message> extensionHandshake(Handshake theirs, int listenPort) {
        return extensionHandshake(theirs, listenPort, Optional.empty(), false);
    }

    /**
     * As above, and with {@code metadataSize} present: ut_metadata (BEP 9) offered with our info
     * dictionary's size; with {@code pex}, ut_pex (BEP 11) too - never for a private torrent (BEP 27).
     */
    static Optional<Message> extensionHandshake(Handshake theirs, int listenPort, Optional<Integer> metadataSize, boolean pex) {
        if (!theirs.supportsExtensions()) {
            return Optional.empty();
        }
        Map<String, Integer> offered = new java.util.TreeMap<>();
        metadataSize.ifPresent(n -> offered.put("ut_metadata", MetadataServer.EXTENSION_ID));
        if (pex) {
            offered.put("ut_pex", PeerExchange.EXTENSION_ID);
        }
        ExtensionHandshake ext = new ExtensionHandshake(offered,
                Optional.of("SimpleBT 0.1"), Optional.of(listenPort), Optional.of(PeerWriter.MAX_SERVE_QUEUE), metadataSize);
        return Optional.of(new Message.Extended(0, ext.encode()));
    }
}
