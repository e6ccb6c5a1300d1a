package simplebt.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import simplebt.log.Log;
import simplebt.log.Redaction;
import simplebt.cli.UsageException;
import simplebt.metainfo.MetainfoException;
import simplebt.log.TerminalText;

/** Entry point of node.jar: dispatches to a subcommand; errors become one line and exit 1. */
public final class NodeMain {
    private NodeMain() {
    }

    /** Every command, in the order `--help` lists them. */
    private static final List<String> NAMES = List.of("create", "info", "seed", "download", "signup", "login",
            "logout", "whoami", "list", "upload", "serve", "torrents", "remove");

    static Map<String, Command> commands() {
        Map<String, Command> all = new LinkedHashMap<>();
        for (String name : NAMES) {
            all.put(name, command(name));
        }
        return all;
    }

    /**
     * The command called {@code name}, or null; built alone because building every command
     * reads the environment and the config folder and loads Gson: ~20 ms before `create`
     * hashes its first byte (bench/create/NOTES.md).
     */
    static Command command(String name) {
        return switch (name) {
            case "create" -> new CreateCommand();
            case "info" -> new InfoCommand();
            case "seed" -> new SeedCommand();
            case "download" -> new DownloadCommand();
            case "signup" -> new SignupCommand();
            case "login" -> new LoginCommand();
            case "logout" -> new LogoutCommand();
            case "whoami" -> new WhoamiCommand();
            case "list" -> new ListCommand();
            case "upload" -> new UploadCommand();
            case "serve" -> new ServeCommand();
            case "torrents" -> new TorrentsCommand();
            case "remove" -> new RemoveCommand();
            default -> null;
        };
    }

    public static void main(String[] argv) {
        int code = run(argv);
        // A clean finish just returns: System.exit sets up the platform logger to log the exit,
        // about 12 ms (measured) at the end of every `create` or `info`. System.exit stays for
        // errors and whenever another thread could keep the JVM alive.
        if (code != 0 || otherThreadsCouldKeepTheJvmAlive()) {
            System.exit(code);
        }
    }

    /** True when a platform thread other than this one is alive and not a daemon. */
    private static boolean otherThreadsCouldKeepTheJvmAlive() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n = root.enumerate(threads, true);
        for (int i = 0; i < n; i++) {
            if (threads[i] != Thread.currentThread() && !threads[i].isDaemon() && threads[i].isAlive()) {
                return true;
            }
        }
        return n == threads.length; // could not see them all: assume the worst
    }

    static int run(String[] argv) {
        List<String> args = Arrays.asList(argv);
        Log.setDebug(args.contains("--debug"));
        Log.setQuiet(args.contains("--quiet"));
        if (onlyDebugFlags(args)) {
            try {
                return Menu.runSystem();
            } catch (IOException e) {
                return fail(e.getMessage(), e);
            }
        }
        if (args.get(0).equals("--help") || args.get(0).equals("-h") || args.get(0).equals("help")) {
            System.out.print(usage(commands()));
            return 0;
        }
        Command command = command(args.get(0));
        if (command == null) {
            System.err.println("error: unknown command '" + args.get(0) + "'; try --help");
            return 2;
        }
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            System.out.print(command.usage());
            return 0;
        }
        try {
            return command.run(rest);
        } catch (UsageException e) {
            System.err.println("error: " + TerminalText.safe(e.getMessage()) + " (see: node " + command.name() + " --help)");
            return 2;
        } catch (MetainfoException e) {
            return fail("bad torrent: " + e.getMessage(), e);
        } catch (IOException e) {
            return fail(describe(e), e);
        } catch (UncheckedIOException e) {
            return fail(describe(e.getCause()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted", e);
        } catch (Exception e) {
            return fail(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    /**
     * True for no arguments or only --debug: the menu. A loop, not a stream: the first lambda
     * of a run costs a cold JVM milliseconds of class spinning before any command starts.
     */
    private static boolean onlyDebugFlags(List<String> args) {
        for (String a : args) {
            if (!a.equals("--debug")) {
                return false;
            }
        }
        return true;
    }

    /**
     * One readable line for an I/O error. NIO's file exceptions often carry only the path
     * ("error: x.torrent"), so say what happened to it.
     */
    static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() == null && f.getFile() != null) {
            String what = switch (f) {
                case NoSuchFileException x -> "no such file or folder";
                case AccessDeniedException x -> "permission denied";
                case FileAlreadyExistsException x -> "already exists";
                case DirectoryNotEmptyException x -> "is a folder that is not empty";
                case NotDirectoryException x -> "is not a folder";
                default -> f.getClass().getSimpleName();
            };
            return f.getFile() + ": " + what;
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static int fail(String message, Exception e) {
        // messages quote torrent paths, server replies and announce URLs (passkeys redacted)
        System.err.println("error: " + TerminalText.safe(Redaction.apply(message)));
        Log.debug("details", e);
        return 1;
    }

    private static String usage(Map<String, Command> commands) {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: java -jar node.jar [COMMAND [ARGS...]]\n\n");
        sb.append("Without a command, opens the interactive menu.\n\nCommands:\n");
        commands.values().forEach(c -> sb.append(String.format("  %-10s %s%n", c.name(), c.summary())));
        sb.append("\nCommon options: --debug (detailed log on stderr), --quiet (no progress output)\n");
        sb.append("Run 'java -jar node.jar COMMAND --help' for a command's options.\n");
        return sb.toString();
    }
}
