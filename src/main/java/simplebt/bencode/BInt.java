package simplebt.bencode;

/** A bencoded integer: {@code i<decimal>e}, 64-bit signed. */
public record BInt(long value) implements BValue {
    public static BInt of(long value) {
        return new BInt(value);
    }
}
