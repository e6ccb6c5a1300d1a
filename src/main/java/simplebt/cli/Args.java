package simplebt.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A small command-line parser: {@code --name value}, {@code --name=value}, boolean flags,
 * repeatable options and positional arguments. Unknown options are a {@link UsageException}
 * so a typo never silently does the wrong thing.
 */
public final class Args {
    private final Map<String, List<String>> options = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Args() {
    }

    /**
     * @param valued options that take a value (without the leading dashes)
     * @param flags  options that take none
     */
    public static Args parse(List<String> argv, Set<String> valued, Set<String> flags) throws UsageException {
        Args args = new Args();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("--")) {
                args.positional.addAll(argv.subList(i + 1, argv.size()));
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                args.positional.add(a);
                continue;
            }
            // no regex and no lambdas here: every command parses before its work starts, and
            // on a cold JVM each costs milliseconds of class loading (bench/create/NOTES.md)
            String name = a.substring(a.startsWith("--") ? 2 : 1);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException("option --" + name + " takes no value");
                }
                args.add(name, "true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= argv.size()) {
                        throw new UsageException("option --" + name + " needs a value");
                    }
                    value = argv.get(++i);
                }
                args.add(name, value);
            } else {
                throw new UsageException("unknown option " + a);
            }
        }
        return args;
    }

    private void add(String name, String value) {
        List<String> values = options.get(name);
        if (values == null) {
            values = new ArrayList<>();
            options.put(name, values);
        }
        values.add(value);
    }

    public boolean flag(String name) {
        return options.containsKey(name);
    }

    public Optional<String> value(String name) {
        List<String> v = options.get(name);
        return v == null ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    public List<String> values(String name) {
        return List.copyOf(options.getOrDefault(name, List.of()));
    }

    public List<String> positional() {
        return List.copyOf(positional);
    }

    public int intValue(String name, int defaultValue, int min, int max) throws UsageException {
        Optional<String> v = value(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n < min || n > max) {
                throw new UsageException("--" + name + " must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, got '" + v.get() + "'");
        }
    }

    /** Parses sizes like 262144, 256k, 1m, 1MiB. */
    public static long parseSize(String text) throws UsageException {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT).replace("ib", "").replace("b", "");
        long mult = 1;
        if (t.endsWith("k")) {
            mult = 1L << 10;
        } else if (t.endsWith("m")) {
            mult = 1L << 20;
        } else if (t.endsWith("g")) {
            mult = 1L << 30;
        }
        if (mult != 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Math.multiplyExact(Long.parseLong(t), mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException("not a size: '" + text + "' (examples: 262144, 256k, 1m)");
        }
    }
}
