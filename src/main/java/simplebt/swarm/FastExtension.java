package simplebt.swarm;

import simplebt.wire.Message;
import simplebt.wire.WireException;

/**
 * The BEP 6 rules that are not about requests: which message opens the connection, and that fast
 * messages are only allowed once both handshakes set the fast bit. Stateless.
 */
final class FastExtension {
    private FastExtension() {
    }

    /** The first message after the handshakes: have all (a seed), have none (nothing yet), else our bitfield. */
    static Message firstMessage(Bitfield have) {
        if (have.isComplete()) {
            return new Message.HaveAll();
        }
        if (have.count() == 0) {
            return new Message.HaveNone();
        }
        return new Message.Bitfield(have.toBytes());
    }

    /** BEP 6: a fast message from a peer that did not negotiate the extension is a protocol error. */
    static void require(boolean negotiated, String what) throws WireException {
        if (!negotiated) {
            throw new WireException(what + " without the fast extension (BEP 6) negotiated");
        }
    }
}
