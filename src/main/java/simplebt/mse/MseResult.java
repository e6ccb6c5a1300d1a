package simplebt.mse;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;

import simplebt.metainfo.InfoHash;

/**
 * A finished MSE handshake, before the payload: the torrent (SKEY), the method the responder
 * selected, both RC4 streams where the handshake left them, the initiator's initial payload (IA,
 * decrypted; responder side only) and the bytes read past the handshake. Turn it into payload
 * streams with {@link #input} and {@link #output}.
 */
public record MseResult(InfoHash infoHash, CryptoMethod method, Rc4 decrypt, Rc4 encrypt, byte[] initialPayload,
                        byte[] leftover) {
    /**
     * The payload as the peer sent it, in order: IA, then the bytes the handshake read ahead, then
     * the rest of {@code raw}; RC4-decrypted unless plaintext was selected (IA is always sent
     * encrypted, so it is already plain here). Not buffered: wrap it.
     */
    public InputStream input(InputStream raw) {
        InputStream rest = leftover.length == 0 ? raw : new SequenceInputStream(new ByteArrayInputStream(leftover), raw);
        InputStream payload = method == CryptoMethod.RC4 ? new Rc4InputStream(rest, decrypt) : rest;
        return initialPayload.length == 0 ? payload
                : new SequenceInputStream(new ByteArrayInputStream(initialPayload), payload);
    }

    /** A buffered stream of {@code bufferSize} bytes to the peer, RC4-encrypted unless plaintext was selected. */
    public OutputStream output(OutputStream raw, int bufferSize) {
        return method == CryptoMethod.RC4 ? new Rc4OutputStream(raw, encrypt, bufferSize)
                : new java.io.BufferedOutputStream(raw, bufferSize);
    }
}
