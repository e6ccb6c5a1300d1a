package simplebt.swarm;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import simplebt.log.Log;
import simplebt.wire.ExtensionHandshake;
import simplebt.wire.Handshake;
import simplebt.wire.Message;
import simplebt.wire.MetadataMessage;
import simplebt.wire.PexMessage;
import simplebt.wire.WireException;

/**
 * One connection's BEP 10 extended messages: the extension handshakes (ours out, theirs read
 * for its ids, port and request queue), BEP 9 {@code ut_metadata} requests answered from
 * {@link MetadataServer}, and BEP 11 {@code ut_pex} both ways through {@link PeerExchange}.
 * Split out of {@link PeerConnection}, which keeps the BEP 3 handshake, dispatch, the request
 * pipeline and choke/interest; like {@link FastExtension}, it knows no socket and sends only
 * through the connection's {@link PeerWriter}.
 *
 * <p>Who owns what: {@code peerMetadataId} and {@code metadataRequests} are the connection's
 * reader thread's alone (it calls {@link #received}); {@code pex} documents its own split between
 * the reader and the session's ticker (which calls {@link #exchangePeers}).
 */
final class PeerExtensions {
    private final Swarm swarm;
    private final PeerWriter writer;
    private final RequestPipeline pipeline;
    private final String remote;
    /** Closes the connection: for a peer that floods us with metadata requests. */
    private final Runnable close;
    /** The peer's id for ut_metadata (0: it has none); reader thread only. */
    private int peerMetadataId;
    /** ut_metadata requests answered so far, against MetadataServer.requestBudget; reader thread only. */
    private int metadataRequests;
    /** BEP 11 state: written by the reader thread (their id, their port), sends by the session's ticker. */
    private final PeerExchange pex = new PeerExchange();

    PeerExtensions(Swarm swarm, PeerWriter writer, RequestPipeline pipeline, String remote, Runnable close) {
        this.swarm = swarm;
        this.writer = writer;
        this.pipeline = pipeline;
        this.remote = remote;
        this.close = close;
    }

    /** Reader thread, right after the BEP 3 handshake: our extension handshake, if the peer does BEP 10. */
    void greet(Handshake theirs) {
        PeerHandshake.extensionHandshake(theirs, swarm.listenPort(), Optional.of(swarm.metadata().size()),
                swarm.exchangesPeers()).ifPresent(writer::send);
    }

    /** Reader thread: one extended message from the peer. */
    void received(Message.Extended e) throws WireException {
        if (e.extendedId() == 0) {
            ExtensionHandshake ext = ExtensionHandshake.decode(e.payload());
            ext.requestQueue().ifPresent(pipeline::peerQueue);
            peerMetadataId = ext.extensions().getOrDefault("ut_metadata", 0);
            if (swarm.exchangesPeers()) {
                pex.peerOffers(ext.extensions().getOrDefault("ut_pex", 0), ext.port(), System.nanoTime());
            }
            Log.debug(remote + " extension handshake: " + ext);
        } else if (e.extendedId() == MetadataServer.EXTENSION_ID) {
            onMetadata(MetadataMessage.decode(e.payload()));
        } else if (e.extendedId() == PeerExchange.EXTENSION_ID && swarm.exchangesPeers()) {
            List<InetSocketAddress> heard = pex.received(PexMessage.decode(e.payload()), System.nanoTime());
            if (!heard.isEmpty()) {
                Log.debug(remote + " pex: " + heard.size() + " peers");
                swarm.events().peersExchanged(heard);
            }
        }
        // other ids: extensions we did not offer; ignored as BEP 10 allows
    }

    /** The listen port its extension handshake named, if any. */
    Optional<Integer> theirPort() {
        return pex.theirPort();
    }

    /** Session ticker: sends this peer what changed in our peer list, when a message is due. */
    void exchangePeers(Map<InetSocketAddress, Integer> current, Optional<InetSocketAddress> self, long now) {
        pex.nextMessage(current, self.orElse(null), now)
                .ifPresent(m -> writer.send(new Message.Extended(pex.peerId(), m.encode())));
    }

    /** BEP 9: answer requests for our info dictionary; data and rejects are not for a node that has it. */
    private void onMetadata(MetadataMessage m) {
        if (!(m instanceof MetadataMessage.Request request) || peerMetadataId == 0) {
            return;
        }
        MetadataServer server = swarm.metadata();
        if (++metadataRequests > server.requestBudget()) {
            // Every piece twice over is asked already: a flood, not a peer. Answering each with a
            // reject queued one message per request for a peer that need not read them.
            Log.debug(remote + " asked for metadata " + metadataRequests + " times, closing");
            close.run();
            return;
        }
        writer.send(new Message.Extended(peerMetadataId, server.answer(request.piece()).encode()));
    }
}
