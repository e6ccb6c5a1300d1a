package simplebt.tracker.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import simplebt.cli.Units;

/** How the site writes sizes and dates (UTC, since visitors are anywhere). */
final class Formats {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private Formats() {
    }

    static String size(long bytes) {
        return Units.bytes(bytes);
    }

    static String date(long epochSeconds) {
        return DATE.format(Instant.ofEpochSecond(epochSeconds));
    }

    /** A download file name from a torrent name: safe characters only, else the info hash. */
    static String fileName(String name, String infoHash) {
        String safe = name.replaceAll("[^A-Za-z0-9._ -]", "_").strip();
        if (safe.isEmpty() || safe.startsWith(".") || safe.length() > 100) {
            safe = infoHash;
        }
        return safe + ".torrent";
    }
}
