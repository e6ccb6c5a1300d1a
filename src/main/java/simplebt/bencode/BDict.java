package simplebt.bencode;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** A bencoded dictionary: byte-string keys, kept in sorted order as BEP 3 requires. */
public record BDict(SortedMap<BString, BValue> entries) implements BValue {
    public BDict {
        entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<BValue> get(String key) {
        return Optional.ofNullable(entries.get(BString.of(key)));
    }

    public boolean has(String key) {
        return entries.containsKey(BString.of(key));
    }

    public Optional<BString> string(String key) {
        return get(key).filter(BString.class::isInstance).map(BString.class::cast);
    }

    public Optional<String> text(String key) {
        return string(key).map(BString::text);
    }

    public Optional<Long> integer(String key) {
        return get(key).filter(BInt.class::isInstance).map(v -> ((BInt) v).value());
    }

    public Optional<BDict> dict(String key) {
        return get(key).filter(BDict.class::isInstance).map(BDict.class::cast);
    }

    public Optional<BList> list(String key) {
        return get(key).filter(BList.class::isInstance).map(BList.class::cast);
    }

    /** Collects entries in any order; {@link #build()} sorts them. */
    public static final class Builder {
        private final TreeMap<BString, BValue> entries = new TreeMap<>();

        public Builder put(String key, BValue value) {
            entries.put(BString.of(key), value);
            return this;
        }

        public Builder put(String key, String value) {
            return put(key, BString.of(value));
        }

        public Builder put(String key, long value) {
            return put(key, new BInt(value));
        }

        public Builder put(String key, byte[] value) {
            return put(key, new BString(value));
        }

        public Builder putAll(Map<BString, BValue> more) {
            entries.putAll(more);
            return this;
        }

        public BDict build() {
            return new BDict(entries);
        }
    }
}
