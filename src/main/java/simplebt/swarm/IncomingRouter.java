package simplebt.swarm;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import simplebt.log.Log;
import simplebt.metainfo.InfoHash;
import simplebt.secure.EncryptionMode;
import simplebt.secure.SecureChannel;
import simplebt.wire.Handshake;

/**
 * Hands each incoming connection on the one listening port to the torrent it is for. A plain
 * connection names its torrent in the BEP 3 handshake the listener has already read (it is
 * peeked, not consumed, so the connection reads it again); a secure one is identified by its
 * hello's tag ({@link SecureAcceptor}), and the handshake inside the channel must name the same
 * torrent. An unknown info hash closes the connection with a debug line.
 *
 * <p>Threads: torrents register and unregister from any thread (start, pause, close); the
 * listener's handshake and peer threads look them up. {@code torrents} is a concurrent map.
 */
final class IncomingRouter implements ServedTorrents {
    private static final byte[] PLAIN_PREFIX = ("\u0013" + "BitTorrent protocol").getBytes(StandardCharsets.ISO_8859_1);
    /** BEP 3 handshake: pstrlen, pstr (19), reserved (8), info_hash (20). */
    private static final int INFO_HASH_END = PLAIN_PREFIX.length + 8 + InfoHash.LENGTH;

    private final Map<InfoHash, RoutedTorrent> torrents = new ConcurrentHashMap<>();
    private final SecureAcceptor secure;

    /** @param other what to do with bytes that are neither plain nor ours (the MSE seam) */
    IncomingRouter(OtherHandshake other) {
        this.secure = new SecureAcceptor(this::running, this, other);
    }

    /** A torrent starts taking connections; false if one with its info hash already does. */
    boolean register(RoutedTorrent t) {
        return torrents.putIfAbsent(t.infoHash(), t) == null;
    }

    /**
     * {@code next} takes the place of {@code previous} (a dormant torrent's and its session's, in
     * either direction) in one step, so that no connection in between finds neither; false, and
     * nothing registered, if {@code previous} no longer holds it.
     */
    boolean replace(RoutedTorrent previous, RoutedTorrent next) {
        return torrents.replace(next.infoHash(), previous, next);
    }

    /** The torrent stops taking connections (only this registration: a newer one stays). */
    void unregister(RoutedTorrent t) {
        torrents.remove(t.infoHash(), t);
    }

    Collection<RoutedTorrent> running() {
        return List.copyOf(torrents.values());
    }

    @Override
    public List<InfoHash> infoHashes() {
        return List.copyOf(torrents.keySet());
    }

    @Override
    public Optional<EncryptionMode> encryption(InfoHash infoHash) {
        return Optional.ofNullable(torrents.get(infoHash)).map(RoutedTorrent::encryption);
    }

    /** The listener's non-plain path: our secure channel, or the {@link OtherHandshake}. */
    ForeignHandler foreign() {
        // The listener's own hand-on would treat the pipe as plain; these are routed by the handshake inside.
        return (socket, in, listenerAccept) -> secure.handle(socket, in,
                streams -> PeerThreads.start("peer-" + streams.remote(), () -> route(streams)));
    }

    /** A plain incoming connection, on its own thread: to its torrent, if that accepts plain peers. */
    void routePlain(PeerStreams streams) {
        Optional<RoutedTorrent> t = target(streams);
        if (t.isPresent() && !t.get().encryption().acceptsPlain()) {
            Log.debug("incoming plain connection from " + streams.remote() + " refused: --encryption required");
            closeQuietly(streams);
            return;
        }
        t.ifPresent(torrent -> torrent.accept().accept(streams));
    }

    /** A decrypted pipe, on its own thread: to the torrent its BEP 3 handshake names. */
    void route(PeerStreams streams) {
        target(streams).ifPresent(torrent -> torrent.accept().accept(streams));
    }

    private Optional<RoutedTorrent> target(PeerStreams streams) {
        try {
            if (!(streams.in() instanceof BufferedInputStream in)) {
                throw new IllegalStateException("incoming streams are buffered by whoever makes them");
            }
            Optional<InfoHash> named = peekInfoHash(in, null);
            Optional<RoutedTorrent> t = named.map(torrents::get);
            if (t.isEmpty()) {
                Log.debug("incoming connection from " + streams.remote() + " closed: "
                        + named.map(h -> "no torrent here has info hash " + h.hex()).orElse("no BitTorrent handshake"));
                closeQuietly(streams);
            }
            return t;
        } catch (IOException e) {
            Log.debug("incoming connection from " + streams.remote() + " dropped: " + e);
            closeQuietly(streams);
            return Optional.empty();
        }
    }

    /**
     * The info hash of the BEP 3 handshake at the head of {@code in}, without consuming it; empty
     * if the bytes are not a handshake. With a socket, waits at most the secure channel's timeout
     * for each read. The whole handshake is read (into {@code in}'s buffer), not only up to the
     * info hash: inside an encrypted channel this runs under the listener's handshake deadline,
     * and what is left for the connection then needs no socket read. Peeking 48 bytes left the
     * peer id to be read under the 180 s idle timeout, a byte at a time if the peer liked.
     */
    static Optional<InfoHash> peekInfoHash(BufferedInputStream in, Socket socket) throws IOException {
        int timeout = socket == null ? 0 : socket.getSoTimeout();
        if (socket != null) {
            socket.setSoTimeout((int) SecureChannel.DEFAULT_TIMEOUT.toMillis());
        }
        in.mark(Handshake.LENGTH);
        byte[] head = in.readNBytes(Handshake.LENGTH);
        in.reset();
        if (socket != null) {
            socket.setSoTimeout(timeout);
        }
        if (head.length < Handshake.LENGTH || !Arrays.equals(head, 0, PLAIN_PREFIX.length, PLAIN_PREFIX, 0, PLAIN_PREFIX.length)) {
            return Optional.empty();
        }
        return Optional.of(new InfoHash(Arrays.copyOfRange(head, INFO_HASH_END - InfoHash.LENGTH, INFO_HASH_END)));
    }

    private static void closeQuietly(PeerStreams streams) {
        try {
            streams.closer().close();
        } catch (IOException e) {
            // going away anyway
        }
    }
}
