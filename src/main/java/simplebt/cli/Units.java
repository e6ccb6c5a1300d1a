package simplebt.cli;

/**
 * Human-readable sizes, rates and durations (binary units, as BitTorrent clients show them).
 * Built by hand, not with {@code String.format}: java.util.Formatter loads the locale data
 * (CLDR, resource bundles), about 20 ms of a node's start that the first progress line, on the
 * way to the first piece, would otherwise pay.
 */
public final class Units {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Units() {
    }

    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        int u = 0;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        return (v >= 100 ? Long.toString(Math.round(v)) : oneDecimal(v)) + " " + UNITS[u];
    }

    public static String rate(double bytesPerSecond) {
        return bytes((long) bytesPerSecond) + "/s";
    }

    public static String duration(long seconds) {
        if (seconds < 0) {
            return "--:--";
        }
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? h + ":" + twoDigits(m) + ":" + twoDigits(s) : m + ":" + twoDigits(s);
    }

    /** {@code v} (>= 0) rounded half up to one decimal: 73.24 -> "73.2". */
    public static String oneDecimal(double v) {
        long tenths = Math.round(v * 10);
        return tenths / 10 + "." + tenths % 10;
    }

    private static String twoDigits(long n) {
        return n < 10 ? "0" + n : Long.toString(n);
    }
}
