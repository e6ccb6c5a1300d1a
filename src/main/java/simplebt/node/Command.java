package simplebt.node;

import java.util.List;

/** One `node.jar` subcommand. Returns the process exit code; throws for user errors. */
interface Command {
    String name();

    /** One line for the command list in {@code --help}. */
    String summary();

    /** Full usage, printed by {@code node.jar NAME --help}. */
    String usage();

    int run(List<String> args) throws Exception;
}
