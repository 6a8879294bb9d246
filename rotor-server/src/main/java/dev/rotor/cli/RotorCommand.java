package dev.rotor.cli;

import dev.rotor.config.ConfigException;
import dev.rotor.config.RotorConfig;
import dev.rotor.config.Setting;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/** {@code rotor}: the server and the operator's tool on the box, working directly on the configured database. */
@Command(name = "rotor", mixinStandardHelpOptions = true, version = "rotor 0.1.0",
        description = "Self-hosted token service: JWT access tokens, rotating refresh tokens with reuse detection.",
        subcommands = {RotorCommand.Serve.class, UserCommands.class, ClientCommands.class, KeyCommands.class,
                SessionCommands.class, ConsentCommands.class, AuditCommands.class, DbCommands.class, CommandLine.HelpCommand.class})
public final class RotorCommand implements Runnable {
    private final Function<RotorConfig, ? extends Services> open;
    @Spec
    CommandSpec spec;

    private RotorCommand(Function<RotorConfig, ? extends Services> open) {
        this.open = open;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Builds the command line with the generated configuration flags.
     *
     * @param open opens the core on a configuration, once per command that works on the database
     */
    public static CommandLine commandLine(Function<RotorConfig, ? extends Services> open) {
        CommandLine cl = new CommandLine(new RotorCommand(open));
        addHelp(cl);
        ConfigFlags.addTo(cl);
        // Exit codes: 0 done; 2 the command line or the configuration is wrong (picocli's refusals, a bad setting);
        // 1 a correct command failed or was refused (the user exists, the port is in use, the database is unreachable).
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            Terminal terminal = new Terminal(line.getOut(), line.getErr());
            switch (e) {
                case ConfigException bad -> {
                    terminal.error("%s", bad.getMessage()); // names the setting, its variable and its flag
                    return CommandLine.ExitCode.USAGE;
                }
                case Services.Unavailable unavailable -> terminal.error("%s: set %s", unavailable.getMessage(), ways(unavailable, line.getCommandSpec()));
                default -> terminal.error("%s", e.getMessage() == null ? e.toString() : e.getMessage());
            }
            return CommandLine.ExitCode.SOFTWARE;
        });
        // picocli's own handler, with the message (which quotes the arguments) escaped like everything else printed.
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine line = e.getCommandLine();
            Terminal terminal = new Terminal(line.getOut(), line.getErr());
            terminal.error("%s", e.getMessage());
            if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
                for (String hint : ConfigFlags.hints(unmatched.getUnmatched(), line.getCommandSpec())) terminal.error("%s", hint);
            }
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, line.getErr())) line.usage(line.getErr());
            return CommandLine.ExitCode.USAGE;
        });
        return cl;
    }

    /**
     * {@code -h}/{@code --help} on every command that lacks it, as {@code mixinStandardHelpOptions} gives the top one;
     * added here rather than per class so that a new subcommand cannot forget it. Only the top command has {@code --version}.
     */
    private static void addHelp(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        if (spec.findOption("--help") == null) {
            spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.").build());
        }
        for (CommandLine sub : cl.getSubcommands().values()) addHelp(sub);
    }

    /** How to change {@code unavailable}'s settings: each one's variable, and its flag where this command has one. */
    private static String ways(Services.Unavailable unavailable, CommandSpec spec) {
        return String.join(", or ", unavailable.settings().stream()
                .map(s -> spec.findOption(s.flag()) == null ? s.env() : s.env() + " or " + s.flag()).toList());
    }

    /** The services on the configuration the command line of {@code spec} was given. */
    static Services open(CommandSpec spec) {
        RotorConfig config = ConfigFlags.load(spec);
        return ((RotorCommand) spec.root().userObject()).open.apply(config);
    }

    /** Shared base: opens the services on the configured database for one command. */
    abstract static class OnDatabase implements Callable<Integer>, ConfigFlags.ConfiguredCommand {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (Services rotor = open(spec)) {
                return run(rotor, new Terminal(spec.commandLine().getOut(), spec.commandLine().getErr()));
            }
        }

        abstract int run(Services rotor, Terminal out) throws Exception;
    }

    @Command(name = "serve", description = "Start the server (SQLite in ./data by default).")
    static final class Serve implements Callable<Integer>, ConfigFlags.ConfiguredCommand {
        @Spec
        CommandSpec spec;

        @Override
        public Set<Setting> settings() {
            return EnumSet.allOf(Setting.class);
        }

        @Override
        public Integer call() throws InterruptedException {
            Services rotor = open(spec);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                rotor.close();
                stopped.countDown();
            }, "rotor-shutdown"));
            rotor.start();
            stopped.await();
            return 0;
        }
    }
}
