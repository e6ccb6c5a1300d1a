package simplebt.swarm;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import simplebt.log.Log;
import simplebt.metainfo.InfoHash;
import simplebt.secure.Accepted;
import simplebt.secure.PeerSecurityMemory;
import simplebt.secure.SecureChannel;
import simplebt.secure.SecureChannelException;
import simplebt.secure.SwarmKey;

/**
 * Incoming connections that are not plain BitTorrent: runs the responder's side of the secure
 * channel with the torrent's current {@link SwarmKey} (with the swarm secret once the tracker
 * gave it), checks that the BEP 3 handshake inside the channel names the same info hash, and
 * hands the decrypted pipe on. Anything else is closed with a debug line.
 */
final class SecureAcceptor implements ForeignHandler {
    private static final byte[] PLAIN_PREFIX = ("\u0013" + "BitTorrent protocol").getBytes(StandardCharsets.ISO_8859_1);
    /** BEP 3 handshake: pstrlen, pstr (19), reserved (8), info_hash (20). */
    private static final int INFO_HASH_END = PLAIN_PREFIX.length + 8 + InfoHash.LENGTH;

    /** Below the initiator's handshake timeout, so a peer that dials us right at start-up is answered. */
    private static final Duration KEY_WAIT = Duration.ofSeconds(3);

    private final InfoHash infoHash;
    private final SwarmKeyHolder key;
    private final PeerSecurityMemory memory;

    SecureAcceptor(InfoHash infoHash, SwarmKeyHolder key, PeerSecurityMemory memory) {
        this.infoHash = infoHash;
        this.key = key;
        this.memory = memory;
    }

    @Override
    public void handle(Socket socket, InputStream in, Consumer<PeerStreams> accept) throws IOException {
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        // The listener's buffer holds what the initiator sent so far: at most the hello, since the
        // initiator waits for our answer before sending more. Read the hello from it, not the socket.
        byte[] hello = new byte[SecureChannel.HELLO_LENGTH];
        int prefix = in.readNBytes(hello, 0, SecureChannel.PREFIX_LENGTH);
        if (prefix < SecureChannel.PREFIX_LENGTH || !SecureChannel.looksSecure(hello)) {
            refuse(socket, remote, "neither plain BitTorrent nor our secure prefix (MSE is not supported)");
            return;
        }
        if (in.readNBytes(hello, prefix, hello.length - prefix) < hello.length - prefix) {
            refuse(socket, remote, "closed in the middle of the secure hello");
            return;
        }
        if (!memory.trusted(infoHash, remote.getAddress())) {
            refuse(socket, remote, "failed authentication earlier");
            return;
        }
        Optional<SwarmKey> current;
        try {
            current = key.await(KEY_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            current = Optional.empty();
        }
        if (current.isEmpty()) {
            refuse(socket, remote, "no swarm key yet: the tracker has not answered (its reply carries the swarm secret)");
            return;
        }
        SwarmKey swarm = current.get();
        Accepted a;
        try {
            a = SecureChannel.accept(socket, hello, List.of(swarm), SecureChannel.DEFAULT_TIMEOUT);
        } catch (SecureChannelException e) {
            memory.secureFailed(swarm.infoHash(), remote, e); // accept logged it and closed the socket
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

    /** Peeks at the inner BEP 3 handshake (not consumed: the connection reads it again); also for MSE. */
    static boolean handshakeNames(BufferedInputStream in, Socket socket, InfoHash expected) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout((int) SecureChannel.DEFAULT_TIMEOUT.toMillis());
        in.mark(INFO_HASH_END);
        byte[] head = in.readNBytes(INFO_HASH_END);
        in.reset();
        socket.setSoTimeout(timeout);
        return head.length == INFO_HASH_END
                && Arrays.equals(head, 0, PLAIN_PREFIX.length, PLAIN_PREFIX, 0, PLAIN_PREFIX.length)
                && Arrays.equals(head, INFO_HASH_END - InfoHash.LENGTH, INFO_HASH_END, expected.bytes(), 0, InfoHash.LENGTH);
    }

    private static void refuse(Socket socket, InetSocketAddress remote, String why) throws IOException {
        Log.debug("incoming connection from " + remote + " refused: " + why);
        socket.close();
    }
}
