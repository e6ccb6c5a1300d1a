package simplebt.swarm;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * One connected peer as a menu shows it: a snapshot, read without holding any lock.
 *
 * @param client   the client named by its peer id (BEP 20's Azureus style {@code -XX1234-}, e.g.
 *                 "-SJ0100-" for our nodes), or "?" when the id follows no convention we read
 * @param outgoing we dialed it (else it dialed us)
 * @param seed     it has every piece
 * @param downRate bytes/s of piece data it sends us
 * @param upRate   bytes/s of piece data we send it
 */
public record PeerSummary(InetSocketAddress address, String client, boolean outgoing, boolean seed,
                          double downRate, double upRate) {

    static String client(Optional<byte[]> peerId) {
        if (peerId.isEmpty() || peerId.get().length < 8) {
            return "?";
        }
        byte[] id = peerId.get();
        if (id[0] != '-' || id[7] != '-') {
            return "?";
        }
        for (int i = 1; i < 7; i++) {
            if (id[i] < 0x21 || id[i] > 0x7e) {
                return "?"; // only printable ASCII: the id is the peer's to choose
            }
        }
        return new String(id, 0, 8, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
