package simplebt.udptracker;

/** BEP 15's event numbers: 0 none, 1 completed, 2 started, 3 stopped. */
public enum UdpEvent {
    NONE, COMPLETED, STARTED, STOPPED;

    int code() {
        return ordinal();
    }

    static UdpEvent of(int code) throws UdpPacketException {
        if (code < 0 || code >= values().length) {
            throw new UdpPacketException("unknown event " + code + " (expected 0-3)");
        }
        return values()[code];
    }
}
