package simplebt.tracker.web;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markup that is safe to send. The only ways to make one are {@link #escape} (any text becomes
 * inert), {@link #fill} (a template from the jar whose {@code {{name}}} holes take escaped text
 * or other Html), and {@link #join}. Torrent names, file names and usernames are chosen by
 * whoever uploads or signs up, so nothing reaches a page without passing through here.
 */
public record Html(String markup) {
    private static final Pattern HOLE = Pattern.compile("\\{\\{([a-zA-Z0-9_]+)\\}\\}");
    public static final Html EMPTY = new Html("");

    /** Text as markup: the five characters that can end text or an attribute value are escaped. */
    public static Html text(String s) {
        return new Html(escape(s));
    }

    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The template with each {{name}} replaced: Html values as they are, anything else as
     * escaped text. A hole without a value is a bug in the page, so it throws.
     */
    static Html fill(String template, Map<String, ?> values) {
        Matcher m = HOLE.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 256);
        while (m.find()) {
            String name = m.group(1);
            if (!values.containsKey(name)) {
                throw new IllegalStateException("template hole {{" + name + "}} has no value");
            }
            Object v = values.get(name);
            m.appendReplacement(out, Matcher.quoteReplacement(v instanceof Html h ? h.markup : escape(String.valueOf(v))));
        }
        m.appendTail(out);
        return new Html(out.toString());
    }

    static Html join(List<Html> parts) {
        StringBuilder out = new StringBuilder();
        for (Html h : parts) {
            out.append(h.markup);
        }
        return new Html(out.toString());
    }

    @Override
    public String toString() {
        return markup;
    }
}
