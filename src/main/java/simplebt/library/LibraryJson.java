package simplebt.library;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;

import simplebt.metainfo.InfoHash;

/**
 * The torrent list's file format, {@code {"version": 1, "torrents": [{...}, ...]}}, read
 * strictly: a file that is not this shape is {@link Corrupt}; an entry that is not valid (or
 * repeats an info hash) is named in {@link Decoded#rejected} and the other entries still load.
 */
final class LibraryJson {
    static final int VERSION = 1;

    /** The whole file is unusable; the message says why, for one line to the user. */
    static final class Corrupt extends Exception {
        Corrupt(String message) {
            super(message);
        }
    }

    /** The good entries, in file order, and one reason per entry left out. */
    record Decoded(List<LibraryEntry> entries, List<String> rejected) {
    }

    private LibraryJson() {
    }

    static byte[] encode(List<LibraryEntry> entries) {
        JsonArray list = new JsonArray();
        for (LibraryEntry e : entries) {
            JsonObject o = new JsonObject();
            o.addProperty("infoHash", e.infoHash().hex());
            o.addProperty("name", e.name());
            o.addProperty("dataDir", e.dataDir().toString());
            o.addProperty("paused", e.paused());
            o.addProperty("added", e.added().toString());
            o.addProperty("uploaded", e.uploaded());
            o.addProperty("downloaded", e.downloaded());
            list.add(o);
        }
        JsonObject root = new JsonObject();
        root.addProperty("version", VERSION);
        root.add("torrents", list);
        String text = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static Decoded decode(byte[] bytes) throws Corrupt {
        JsonElement root;
        try {
            JsonReader reader = new JsonReader(new StringReader(decodeUtf8(bytes)));
            reader.setStrictness(Strictness.STRICT);
            root = JsonParser.parseReader(reader);
        } catch (JsonParseException | StackOverflowError e) {
            throw new Corrupt("not valid JSON");
        }
        if (!(root instanceof JsonObject top)) {
            throw new Corrupt("not a JSON object");
        }
        if (!(top.get("version") instanceof JsonPrimitive v) || !v.isNumber() || !v.getAsString().equals(String.valueOf(VERSION))) {
            throw new Corrupt("no \"version\": " + VERSION);
        }
        if (!(top.get("torrents") instanceof JsonArray list)) {
            throw new Corrupt("no \"torrents\" list");
        }
        List<LibraryEntry> entries = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        Set<InfoHash> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            try {
                LibraryEntry e = entry(list.get(i));
                if (!seen.add(e.infoHash())) {
                    throw new IOException("info hash " + e.infoHash().hex() + " appears twice");
                }
                entries.add(e);
            } catch (IOException e) {
                rejected.add("entry " + (i + 1) + ": " + e.getMessage());
            }
        }
        return new Decoded(List.copyOf(entries), List.copyOf(rejected));
    }

    private static String decodeUtf8(byte[] bytes) throws Corrupt {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new Corrupt("not UTF-8 text");
        }
    }

    private static LibraryEntry entry(JsonElement element) throws IOException {
        if (!(element instanceof JsonObject o)) {
            throw new IOException("not a JSON object");
        }
        InfoHash hash;
        try {
            hash = InfoHash.fromHex(text(o, "infoHash"));
        } catch (IllegalArgumentException e) {
            throw new IOException("infoHash: " + e.getMessage());
        }
        Path dataDir;
        try {
            dataDir = Path.of(text(o, "dataDir"));
        } catch (InvalidPathException e) {
            throw new IOException("dataDir is not a path");
        }
        if (!dataDir.isAbsolute()) {
            throw new IOException("dataDir is not an absolute path");
        }
        Instant added;
        try {
            added = Instant.parse(text(o, "added"));
        } catch (DateTimeParseException e) {
            throw new IOException("added is not a time (like 2026-12-05T04:54:20Z)");
        }
        if (!(o.get("paused") instanceof JsonPrimitive p) || !p.isBoolean()) {
            throw new IOException("paused is not true or false");
        }
        return new LibraryEntry(hash, text(o, "name"), dataDir, p.getAsBoolean(), added,
                count(o, "uploaded"), count(o, "downloaded"));
    }

    private static String text(JsonObject o, String key) throws IOException {
        if (!(o.get(key) instanceof JsonPrimitive p) || !p.isString()) {
            throw new IOException(key + " is missing or not text");
        }
        return p.getAsString();
    }

    private static long count(JsonObject o, String key) throws IOException {
        if (!(o.get(key) instanceof JsonPrimitive p) || !p.isNumber()) {
            throw new IOException(key + " is missing or not a number");
        }
        try {
            long n = new BigDecimal(p.getAsString()).longValueExact();
            if (n < 0) {
                throw new IOException(key + " is negative");
            }
            return n;
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IOException(key + " is not a whole number of bytes");
        }
    }
}
