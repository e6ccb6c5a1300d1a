package simplebt.udptracker;

/** A UDP tracker packet that does not follow BEP 15 / BEP 41; the message says what and where. */
public final class UdpPacketException extends Exception {
    public UdpPacketException(String message) {
        super(message);
    }
}
