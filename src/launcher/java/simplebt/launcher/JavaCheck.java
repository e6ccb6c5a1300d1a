package simplebt.launcher;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first thing {@code java -jar node.jar} runs: is this Java new enough for the rest?
 * <p>
 * The program is compiled for Java 21; an older {@code java} would stop at its first class with
 * "LinkageError occurred while loading main class", which tells a newcomer nothing. This class
 * and the two jar entry points are compiled with {@code --release 8} (build.sh does it apart from
 * the rest), so any Java from 8 on can load them and print one line instead: which Java the jar
 * needs and, when there is one, a newer Java found on this machine with the command to run.
 * The search is build.sh's: JAVA_HOME, then PATH, then /usr/lib/jvm/*, the newest wins.
 * <p>
 * Java 8 language and API only in this package.
 */
public final class JavaCheck {
    public static final int REQUIRED = 21;

    private JavaCheck() {
    }

    /**
     * True when this Java can run the program; otherwise prints the one line to stderr and the
     * caller exits (status 1).
     */
    public static boolean runnable(String jarName, String[] args) {
        int running = major(System.getProperty("java.specification.version"));
        if (running >= REQUIRED) {
            return true;
        }
        System.err.println(message(jarName, running, newestInstalled(), jarPath(jarName), args));
        return false;
    }

    /** The line shown on a too-old Java; {@code found} is null when no suitable Java was found. */
    static String message(String jarName, int running, Installed found, String jarPath, String[] args) {
        String head = jarName + " needs Java " + REQUIRED + " or newer; this is Java " + running + ".";
        if (found == null) {
            return head + " No Java " + REQUIRED + "+ found in JAVA_HOME, PATH or /usr/lib/jvm;"
                    + " install one (e.g. apt-get install openjdk-" + REQUIRED + "-jre) and run it with -jar " + jarPath;
        }
        StringBuilder command = new StringBuilder(quote(found.java.toString())).append(" -jar ").append(quote(jarPath));
        for (String a : args) {
            command.append(' ').append(quote(a));
        }
        return head + " Found Java " + found.major + ": " + command;
    }

    /** A Java installation: its {@code bin/java} and feature version. */
    static final class Installed {
        final Path java;
        final int major;

        Installed(Path java, int major) {
            this.java = java;
            this.major = major;
        }
    }

    /** The newest Java >= {@link #REQUIRED} among JAVA_HOME, PATH and /usr/lib/jvm/*, or null. */
    static Installed newestInstalled() {
        Set<Path> homes = new LinkedHashSet<Path>();
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && !javaHome.isEmpty()) {
            addHome(homes, Paths.get(javaHome));
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    Path java = Paths.get(dir, "java");
                    if (Files.isExecutable(java)) {
                        addHome(homes, realParent(java).getParent());
                    }
                }
            }
        }
        Path jvms = Paths.get("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(jvms)) {
                for (Path dir : sorted(dirs)) {
                    addHome(homes, dir);
                }
            } catch (IOException e) {
                // an unreadable /usr/lib/jvm just means nothing found there
            }
        }
        Installed best = null;
        for (Path home : homes) {
            Path java = home.resolve("bin").resolve("java");
            int major = releaseMajor(home);
            if (Files.isExecutable(java) && major >= REQUIRED && (best == null || major > best.major)) {
                best = new Installed(java, major);
            }
        }
        return best;
    }

    private static void addHome(Set<Path> homes, Path home) {
        if (home == null) {
            return;
        }
        try {
            homes.add(home.toRealPath());
        } catch (IOException e) {
            // a dangling JAVA_HOME or link: not a candidate
        }
    }

    private static Path realParent(Path file) {
        try {
            return file.toRealPath().getParent();
        } catch (IOException e) {
            return file.getParent();
        }
    }

    private static List<Path> sorted(DirectoryStream<Path> dirs) {
        List<Path> list = new ArrayList<Path>();
        for (Path p : dirs) {
            list.add(p);
        }
        Collections.sort(list);
        return list;
    }

    /**
     * The feature version from the installation's {@code release} file (JAVA_VERSION="25.0.3" or
     * "1.8.0_402"), which every JDK and JRE since 8 ships; 0 when there is none. Reading it
     * starts no JVM, as in build.sh.
     */
    public static int releaseMajor(Path home) {
        // Compiled here, not in a static field: the common path (a new enough Java) never needs it.
        Pattern version = Pattern.compile("^JAVA_VERSION=\"([0-9]+)(?:\\.([0-9]+))?");
        try {
            for (String line : Files.readAllLines(home.resolve("release"), StandardCharsets.UTF_8)) {
                Matcher m = version.matcher(line);
                if (m.find()) {
                    int first = Integer.parseInt(m.group(1));
                    return first == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : first;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no or unreadable release file: not a candidate
        }
        return 0;
    }

    /** "1.8" -> 8, "17" -> 17 (java.specification.version). */
    static int major(String specVersion) {
        String v = specVersion.startsWith("1.") ? specVersion.substring(2) : specVersion;
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(v.substring(0, end));
    }

    /** The jar as the user can name it: relative to the working folder when inside it. */
    private static String jarPath(String jarName) {
        try {
            CodeSource source = JavaCheck.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return jarName;
            }
            Path jar = Paths.get(source.getLocation().toURI()).toAbsolutePath().normalize();
            if (!Files.isRegularFile(jar)) {
                return jarName; // classes on a class path, not a jar
            }
            Path here = Paths.get(System.getProperty("user.dir")).toAbsolutePath().normalize();
            return jar.startsWith(here) ? here.relativize(jar).toString() : jar.toString();
        } catch (URISyntaxException | RuntimeException e) {
            return jarName;
        }
    }

    /** Single quotes for the shell where needed, so the suggested command can be pasted. */
    static String quote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_./:=@%+,-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
