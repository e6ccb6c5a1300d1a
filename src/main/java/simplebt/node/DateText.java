package simplebt.node;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Dates as the node shows them ("2026-12-05 14:03", local time). A class of its own so the time
 * zone rules load only when a date is printed: as a static field of a command they loaded on
 * every start (about 10 ms), since node.jar builds all commands to find one.
 */
final class DateText {
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());

    private DateText() {
    }

    static String of(Instant when) {
        return MINUTES.format(when);
    }
}
