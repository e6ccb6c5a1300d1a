package simplebt.swarm;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import simplebt.log.Log;
import simplebt.metainfo.InfoHash;
import simplebt.secure.Accepted;
import simplebt.secure.EncryptionMode;
import simplebt.secure.HelloMatcher;
import simplebt.secure.PeerSecurityMemory;
import simplebt.secure.SecureChannel;
import simplebt.secure.SecureChannelException;
import simplebt.secure.SwarmKey;

/**
 * Incoming connections that are not plain BitTorrent. Our secure hello: finds which served
 * torrent's {@link SwarmKey} authenticates it ({@link HelloMatcher}, a trial over the keys of
 * the torrents that accept secure connections; the info hash never crosses the wire), runs the
 * responder's side of the channel with that key, checks that the BEP 3 handshake inside names
 * the same torrent, and hands the decrypted pipe on. Anything else goes to the
 * {@link OtherHandshake} (the MSE seam; by default it is closed with a debug line).
 *
 * <p>Threads: runs on the listener's handshake threads; {@code matcher} is a cache any of them
 * may replace (volatile; a stale one is only rebuilt).
 */
final class SecureAcceptor implements ForeignHandler {
    /** Below the initiator's handshake timeout, so a peer that dials us right at start-up is answered. */
    private static final Duration KEY_WAIT = Duration.ofSeconds(3);

    private final Supplier<Collection<RoutedTorrent>> served;
    private final ServedTorrents servedView;
    private final OtherHandshake other;
    private volatile HelloMatcher matcher = HelloMatcher.of(List.of());

    /** One torrent (tests): its key, its memory. */
    SecureAcceptor(InfoHash infoHash, SwarmKeyHolder key, PeerSecurityMemory memory) {
        this(() -> List.of(new RoutedTorrent(infoHash, EncryptionMode.PREFERRED, key, memory, streams -> { })),
                null, OtherHandshake.REFUSE);
    }

    /**
     * @param served     the running torrents, asked afresh for every connection
     * @param servedView what the other handshake may learn about them
     * @param other      bytes that are neither plain nor ours
     */
    SecureAcceptor(Supplier<Collection<RoutedTorrent>> served, ServedTorrents servedView, OtherHandshake other) {
        this.served = served;
        this.servedView = servedView;
        this.other = other;
    }

    @Override
    public void handle(Socket socket, InputStream in, Consumer<PeerStreams> accept) throws IOException {
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        // The listener's buffer holds what the initiator sent so far: at most the hello, since the
        // initiator waits for our answer before sending more. Read the hello from it, not the socket.
        byte[] hello = new byte[SecureChannel.HELLO_LENGTH];
        int prefix = in.readNBytes(hello, 0, SecureChannel.PREFIX_LENGTH);
        if (prefix < SecureChannel.PREFIX_LENGTH || !SecureChannel.looksSecure(hello)) {
            InputStream replayed = new SequenceInputStream(new ByteArrayInputStream(hello, 0, prefix), in);
            other.handle(socket, replayed, servedView, accept);
            return;
        }
        if (in.readNBytes(hello, prefix, hello.length - prefix) < hello.length - prefix) {
            refuse(socket, remote, "closed in the middle of the secure hello");
            return;
        }
        Optional<RoutedTorrent> target;
        try {
            target = identify(hello);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            target = Optional.empty();
        }
        if (target.isEmpty()) {
            refuse(socket, remote, "its tag matches none of the torrents served here (or their swarm secrets differ,"
                    + " or the tracker has not answered yet: its reply carries the swarm secret)");
            return;
        }
        RoutedTorrent torrent = target.get();
        if (!torrent.memory().trusted(torrent.infoHash(), remote.getAddress())) {
            refuse(socket, remote, "failed authentication earlier");
            return;
        }
        SwarmKey swarm = torrent.key().current().orElseThrow();
        Accepted a;
        try {
            a = SecureChannel.accept(socket, hello, List.of(swarm), SecureChannel.DEFAULT_TIMEOUT);
        } catch (SecureChannelException e) {
            torrent.memory().secureFailed(swarm.infoHash(), remote, e); // accept logged it and closed the socket
            return;
        }
        BufferedInputStream inner = new BufferedInputStream(a.streams().in(), PlainTransport.STREAM_BUFFER);
        if (!handshakeNames(inner, socket, swarm.infoHash())) {
            a.streams().close();
            Log.debug("secure: " + remote + " sent a handshake for another torrent inside the channel; closed");
            return;
        }
        accept.accept(new PeerStreams(inner, a.streams().out(), a.streams(), remote));
    }

    /**
     * The served torrent whose key the hello's tag proves. If none matches while some torrent that
     * accepts secure connections still waits for its key (its first announce reply carries the
     * swarm secret), waits up to {@link #KEY_WAIT} for those and tries once more.
     */
    private Optional<RoutedTorrent> identify(byte[] hello) throws InterruptedException {
        List<RoutedTorrent> secure = served.get().stream().filter(t -> t.encryption().acceptsSecure()).toList();
        Optional<RoutedTorrent> found = match(hello, secure);
        List<RoutedTorrent> waiting = secure.stream().filter(t -> t.key().current().isEmpty()).toList();
        if (found.isPresent() || waiting.isEmpty()) {
            return found;
        }
        long deadline = System.nanoTime() + KEY_WAIT.toNanos();
        for (RoutedTorrent t : waiting) {
            t.key().await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        return match(hello, secure);
    }

    private Optional<RoutedTorrent> match(byte[] hello, List<RoutedTorrent> secure) {
        List<SwarmKey> keys = secure.stream().flatMap(t -> t.key().current().stream()).toList();
        HelloMatcher m = matcher;
        if (!m.keys().equals(keys)) {
            m = m.updated(keys); // a torrent came or went, or a key arrived: derive the new tag keys
            matcher = m;
        }
        return m.find(hello).flatMap(k -> secure.stream().filter(t -> t.infoHash().equals(k.infoHash())).findFirst());
    }

    /** Peeks at the inner BEP 3 handshake (not consumed: the connection reads it again). */
    private static boolean handshakeNames(BufferedInputStream in, Socket socket, InfoHash expected) throws IOException {
        return IncomingRouter.peekInfoHash(in, socket).filter(expected::equals).isPresent();
    }

    private static void refuse(Socket socket, InetSocketAddress remote, String why) throws IOException {
        Log.debug("incoming connection from " + remote + " refused: " + why);
        socket.close();
    }
}
