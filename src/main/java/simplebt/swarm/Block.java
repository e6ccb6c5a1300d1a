package simplebt.swarm;

/** A block of a piece: what we request from a peer (BEP 3 request fields). */
public record Block(int piece, int offset, int length) {
}
