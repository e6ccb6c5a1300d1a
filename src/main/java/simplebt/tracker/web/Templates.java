package simplebt.tracker.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page templates in the jar (simplebt/tracker/web/pages/NAME.html), each read once; the
 * cache is filled by whichever request thread needs a template first.
 */
final class Templates {
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    Html render(String name, Map<String, ?> values) {
        return Html.fill(cache.computeIfAbsent(name, Templates::load), values);
    }

    /** A file under simplebt/tracker/web/ in the jar, or null. */
    static byte[] resource(String path) {
        try (InputStream in = Templates.class.getResourceAsStream(path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path + " from the jar", e);
        }
    }

    private static String load(String name) {
        byte[] raw = resource("pages/" + name + ".html");
        if (raw == null) {
            throw new IllegalStateException("no template pages/" + name + ".html in the jar");
        }
        return new String(raw, StandardCharsets.UTF_8).stripTrailing(); // fragments join without gaps
    }
}
