package simplebt.secure;

import java.io.IOException;
import java.net.Socket;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import simplebt.log.Log;
import simplebt.secure.SecureChannelException.Kind;

/**
 * Turns a connected socket into a pair of plaintext streams that travel as AES-256-GCM records
 * (see docs/secure-channel.md). The BitTorrent handshake and every message after it go inside.
 *
 * <pre>
 * initiator                                          responder
 *   hello = magic || X25519 key e_i || tag  -------->   finds the torrent whose tag matches
 *                                          <--------   e_r || record#0(r2i confirm)
 *   checks the responder's confirmation
 *   record#0(i2r confirm), then data       -------->   checks it, then data both ways
 * </pre>
 *
 * On any failure the socket is closed, a debug line is logged, and a SecureChannelException
 * says why ({@link SecureChannelException#kind()}).
 */
public final class SecureChannel {
    /** The listener reads this many bytes; {@link #looksSecure} decides on them. */
    public static final int PREFIX_LENGTH = Hello.MAGIC.length;
    /** The whole first message of an initiator; {@code alreadyRead} may hold up to this many bytes. */
    public static final int HELLO_LENGTH = Hello.LENGTH;
    /** A handshake timeout that gives up on a silent standard client quickly (DESIGN: a few seconds). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private SecureChannel() {
    }

    /**
     * True when the first bytes a connection sent are our prefix. A plain BEP 3 handshake starts
     * with 0x13, our prefix with 'S', so one byte already tells them apart; give at least
     * {@link #PREFIX_LENGTH} bytes to tell ours from anything else (e.g. an MSE key).
     */
    public static boolean looksSecure(byte[] first) {
        return first.length >= PREFIX_LENGTH && Hello.startsLikeHello(first, PREFIX_LENGTH);
    }

    /**
     * Runs the initiator's side on a connected socket. Returns once both sides have proved
     * they hold the same keys; the caller then sends the BitTorrent handshake through
     * {@code out()}. Restores the socket's read timeout and sets TCP_NODELAY (the streams
     * batch writes into records themselves).
     */
    public static SecureStreams connect(Socket socket, SwarmKey swarm, Duration timeout) throws IOException {
        try {
            int oldTimeout = socket.getSoTimeout();
            socket.setTcpNoDelay(true);
            HandshakeIo io = new HandshakeIo(socket, timeout, true);
            KeyPair mine = X25519.generate();
            byte[] hello = Hello.build(X25519.encode(mine.getPublic()), swarm);
            io.send(hello);
            byte[] theirs = new byte[X25519.KEY_LENGTH];
            io.readFully(theirs, 0, theirs.length);
            KeySchedule keys = KeySchedule.derive(agree(mine, theirs), hello, theirs, swarm);
            RecordCipher opener = keys.initiatorOpener();
            RecordCipher sealer = keys.initiatorSealer();
            io.expectConfirmation(opener, keys.r2iConfirm());
            io.send(HandshakeIo.confirmRecord(sealer, keys.i2rConfirm()));
            socket.setSoTimeout(oldTimeout);
            Log.debug("secure: connected to " + socket.getRemoteSocketAddress() + " for " + swarm.infoHash().hex());
            return streams(socket, io, opener, sealer);
        } catch (IOException | RuntimeException e) {
            Log.debug("secure: connect to " + socket.getRemoteSocketAddress() + " failed: " + e.getMessage());
            closeQuietly(socket);
            throw e;
        }
    }

    /**
     * Runs the responder's side. {@code alreadyRead} holds the bytes the listener took off the
     * socket to sniff the protocol (0..{@link #HELLO_LENGTH}, normally {@link #PREFIX_LENGTH});
     * the rest of the hello is read here. Returns the served torrent the initiator meant.
     */
    public static Accepted accept(Socket socket, byte[] alreadyRead, Collection<SwarmKey> served, Duration timeout)
            throws IOException {
        try {
            int oldTimeout = socket.getSoTimeout();
            socket.setTcpNoDelay(true);
            HandshakeIo io = new HandshakeIo(socket, timeout, false);
            byte[] hello = readHello(io, alreadyRead);
            Optional<SwarmKey> found = Hello.find(hello, served);
            if (found.isEmpty()) {
                throw new SecureChannelException(Kind.UNKNOWN_TORRENT,
                        "the torrent tag matches none of the " + served.size() + " torrents served (or the swarm secret differs)");
            }
            SwarmKey swarm = found.get();
            KeyPair mine = X25519.generate();
            byte[] ours = X25519.encode(mine.getPublic());
            KeySchedule keys = KeySchedule.derive(agree(mine, Hello.publicKey(hello)), hello, ours, swarm);
            RecordCipher opener = keys.responderOpener();
            RecordCipher sealer = keys.responderSealer();
            byte[] confirm = HandshakeIo.confirmRecord(sealer, keys.r2iConfirm());
            byte[] reply = new byte[ours.length + confirm.length];
            System.arraycopy(ours, 0, reply, 0, ours.length);
            System.arraycopy(confirm, 0, reply, ours.length, confirm.length);
            io.send(reply);
            io.expectConfirmation(opener, keys.i2rConfirm());
            socket.setSoTimeout(oldTimeout);
            Log.debug("secure: accepted " + socket.getRemoteSocketAddress() + " for " + swarm.infoHash().hex());
            return new Accepted(swarm, streams(socket, io, opener, sealer));
        } catch (IOException | RuntimeException e) {
            Log.debug("secure: refused " + socket.getRemoteSocketAddress() + ": " + e.getMessage());
            closeQuietly(socket);
            throw e;
        }
    }

    private static byte[] readHello(HandshakeIo io, byte[] alreadyRead) throws IOException {
        if (alreadyRead.length > HELLO_LENGTH) {
            throw new SecureChannelException(Kind.MALFORMED,
                    alreadyRead.length + " bytes before our answer; a hello is " + HELLO_LENGTH);
        }
        byte[] hello = new byte[HELLO_LENGTH];
        System.arraycopy(alreadyRead, 0, hello, 0, alreadyRead.length);
        if (alreadyRead.length > 0 && !Hello.startsLikeHello(hello, alreadyRead.length)) {
            throw new SecureChannelException(Kind.NOT_SECURE, "first bytes are not the secure prefix");
        }
        io.readFully(hello, alreadyRead.length, HELLO_LENGTH - alreadyRead.length);
        if (!Hello.startsLikeHello(hello, PREFIX_LENGTH)) {
            throw new SecureChannelException(Kind.NOT_SECURE, "first bytes are not the secure prefix");
        }
        return hello;
    }

    private static byte[] agree(KeyPair mine, byte[] theirs) throws SecureChannelException {
        try {
            return X25519.agree(mine.getPrivate(), X25519.decode(theirs));
        } catch (InvalidKeyException e) {
            throw new SecureChannelException(Kind.MALFORMED, "peer's public key refused: " + e.getMessage());
        }
    }

    private static SecureStreams streams(Socket socket, HandshakeIo io, RecordCipher opener, RecordCipher sealer) {
        return new SecureStreams(new SecureInputStream(io.in(), opener), new SecureOutputStream(io.out(), sealer), socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing after a failure: nothing more to tell
        }
    }
}
