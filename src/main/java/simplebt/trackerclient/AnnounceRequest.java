package simplebt.trackerclient;

import java.util.Optional;

import simplebt.metainfo.InfoHash;

/** What a client tells the tracker (BEP 3 announce parameters; compact=1 per BEP 23). */
public record AnnounceRequest(InfoHash infoHash, byte[] peerId, int port, long uploaded, long downloaded,
                              long left, Event event, int numwant) {
    /** BEP 3 event; NONE is the periodic announce and sends no event parameter. */
    public enum Event {
        NONE(Optional.empty()), STARTED(Optional.of("started")), COMPLETED(Optional.of("completed")),
        STOPPED(Optional.of("stopped"));

        private final Optional<String> wire;

        Event(Optional<String> wire) {
            this.wire = wire;
        }

        public Optional<String> wire() {
            return wire;
        }
    }

    public AnnounceRequest {
        peerId = peerId.clone();
        if (peerId.length != 20) {
            throw new IllegalArgumentException("peer id must be 20 bytes");
        }
    }

    @Override
    public byte[] peerId() {
        return peerId.clone();
    }
}
