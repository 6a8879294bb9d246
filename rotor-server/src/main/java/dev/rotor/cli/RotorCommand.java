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
                SessionCommands.class, AuditCommands.class, DbCommands.class, CommandLine.HelpCommand.class})
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
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            Terminal terminal = new Terminal(line.getOut(), line.getErr());
            if (e instanceof ConfigException || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                terminal.error("%s", e.getMessage());
                return 2;
            }
            terminal.error("%s", e);
            return 1;
        });
        // picocli's own handler, with the message (which quotes the arguments) escaped like everything else printed.
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine line = e.getCommandLine();
            new Terminal(line.getOut(), line.getErr()).error("%s", e.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, line.getErr())) line.usage(line.getErr());
            return line.getCommandSpec().exitCodeOnInvalidInput();
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
