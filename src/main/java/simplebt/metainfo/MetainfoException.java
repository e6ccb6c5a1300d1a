package simplebt.metainfo;

/** A .torrent that cannot be used; the message names the offending field. */
public final class MetainfoException extends Exception {
    private final String field;

    public MetainfoException(String field, String problem) {
        super(field.isEmpty() ? problem : field + ": " + problem);
        this.field = field;
    }

    public MetainfoException(String field, String problem, Throwable cause) {
        super(field.isEmpty() ? problem : field + ": " + problem, cause);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
