package simplebt.secure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.time.Duration;
import simplebt.secure.SecureChannelException.Kind;

/**
 * The socket side of one handshake: exact reads against a single deadline (a silent peer, or
 * one that sends a byte at a time, fails when the deadline passes), and the confirmation records.
 * Knows whether the peer has answered at all, which is what tells "not one of ours" (NO_ANSWER)
 * from "stopped midway" (INCOMPLETE).
 */
final class HandshakeIo {
    private static final int CONFIRM_RECORD = RecordCipher.HEADER_LENGTH + KeySchedule.CONFIRM_LENGTH + RecordCipher.TAG_LENGTH;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final long deadline;
    private final boolean initiator;
    private long received;

    HandshakeIo(Socket socket, Duration timeout, boolean initiator) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.deadline = System.nanoTime() + timeout.toNanos();
        this.initiator = initiator;
    }

    InputStream in() {
        return in;
    }

    OutputStream out() {
        return out;
    }

    void readFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw stalled("no answer within the handshake timeout");
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000)));
            int n;
            try {
                n = in.read(b, off, len);
            } catch (SocketTimeoutException e) {
                throw stalled("no answer within the handshake timeout");
            } catch (SocketException e) {
                throw stalled("connection failed (" + e.getMessage() + ")");
            }
            if (n < 0) {
                throw stalled("peer closed the connection");
            }
            received += n;
            off += n;
            len -= n;
        }
    }

    void send(byte[] b) throws IOException {
        try {
            out.write(b);
            out.flush();
        } catch (SocketException e) {
            throw stalled("connection failed (" + e.getMessage() + ")");
        }
    }

    /** Seals the confirmation value as this direction's record #0 and returns its bytes. */
    static byte[] confirmRecord(RecordCipher sealer, byte[] confirm) throws SecureChannelException {
        byte[] record = new byte[CONFIRM_RECORD];
        sealer.seal(confirm, 0, confirm.length, record, 0);
        return record;
    }

    /** Reads the peer's record #0 and checks it opens to the expected confirmation value. */
    void expectConfirmation(RecordCipher opener, byte[] expected) throws IOException {
        byte[] record = new byte[CONFIRM_RECORD];
        readFully(record, 0, RecordCipher.HEADER_LENGTH);
        int ctLen = RecordCipher.ciphertextLength(record, 0);
        if (ctLen != KeySchedule.CONFIRM_LENGTH + RecordCipher.TAG_LENGTH) {
            throw new SecureChannelException(Kind.MALFORMED, "key confirmation record has length " + ctLen
                    + ", expected " + (KeySchedule.CONFIRM_LENGTH + RecordCipher.TAG_LENGTH));
        }
        readFully(record, RecordCipher.HEADER_LENGTH, ctLen);
        byte[] got = new byte[KeySchedule.CONFIRM_LENGTH];
        try {
            opener.open(record, 0, got, 0);
        } catch (SecureChannelException e) {
            throw new SecureChannelException(Kind.AUTH_FAILED, "key confirmation failed: the keys differ or it was altered");
        }
        if (!MessageDigest.isEqual(got, expected)) {
            throw new SecureChannelException(Kind.AUTH_FAILED, "key confirmation holds the wrong value");
        }
    }

    private SecureChannelException stalled(String why) {
        return new SecureChannelException(initiator && received == 0 ? Kind.NO_ANSWER : Kind.INCOMPLETE, why);
    }
}
