package simplebt.mse;

import java.io.InputStream;
import java.io.OutputStream;

import simplebt.metainfo.InfoHash;

/**
 * A socket after the MSE handshake: the payload streams (RC4 or plain, as selected), the torrent
 * and the method. {@code in} is not buffered; {@code out} is. Closing is the socket's business.
 */
public record MseConnection(InfoHash infoHash, CryptoMethod method, InputStream in, OutputStream out) {
}
