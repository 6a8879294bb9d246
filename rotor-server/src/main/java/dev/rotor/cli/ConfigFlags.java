package dev.rotor.cli;

import dev.rotor.config.RotorConfig;
import dev.rotor.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Adds {@code --config FILE} and one flag per {@link Setting} a command reads ({@link ConfiguredCommand#settings()}),
 * generated from the settings so that the flags, the environment variables and the file keys can never drift apart.
 * A setting a command does not take as a flag still reaches it from the environment or the config file.
 */
final class ConfigFlags {
    static final String CONFIG = "--config";

    private ConfigFlags() {}

    static void addTo(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        if (spec.userObject() instanceof ConfiguredCommand command) {
            spec.addOption(OptionSpec.builder(CONFIG).paramLabel("FILE").type(String.class)
                    .description("config file (properties: key = value); default ./rotor.conf if it exists; env ROTOR_CONFIG").build());
            for (Setting s : command.settings()) {
                spec.addOption(OptionSpec.builder(s.flag()).paramLabel("VALUE").type(String.class)
                        .description(s.description() + " (env " + s.env() + ", default: "
                                + (s.defaultValue().isEmpty() ? "derived" : s.defaultValue()) + ")").build());
            }
        }
        for (CommandLine sub : cl.getSubcommands().values()) addTo(sub);
    }

    static RotorConfig load(CommandSpec spec) {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            OptionSpec o = spec.findOption(s.flag());
            if (o != null && o.getValue() != null) flags.put(s, o.getValue());
        }
        OptionSpec configOption = spec.findOption(CONFIG);
        String file = configOption == null ? null : configOption.getValue();
        if (file == null) file = System.getenv("ROTOR_CONFIG");
        Path path = file != null ? Path.of(file) : Files.isRegularFile(Path.of("rotor.conf")) ? Path.of("rotor.conf") : null;
        return RotorConfig.load(flags, System.getenv(), path);
    }

    /**
     * For each argument in {@code unmatched} that is the flag of a setting {@code spec} does not take: where that
     * setting can be given instead.
     */
    static List<String> hints(List<String> unmatched, CommandSpec spec) {
        List<String> hints = new ArrayList<>();
        for (String arg : unmatched) {
            String flag = arg.split("=", 2)[0];
            for (Setting s : Setting.values()) {
                if (s.flag().equals(flag) && spec.findOption(flag) == null) {
                    hints.add(flag + " is not a flag of this command, which reads " + s.key() + " from " + s.env() + " or the config file");
                }
            }
        }
        return hints;
    }

    /** Where the database is and the key that opens its sealed keys: what every command on the database reads. */
    static final Set<Setting> DATABASE = Collections.unmodifiableSet(
            EnumSet.of(Setting.DATA_DIR, Setting.DB, Setting.DB_POOL, Setting.MASTER_KEY_FILE));

    /** Marks commands that read the configuration. */
    interface ConfiguredCommand {
        /** The settings this command reads, offered as its flags; by default {@link #DATABASE}. */
        default Set<Setting> settings() {
            return DATABASE;
        }

        /** {@link #DATABASE} and {@code more}. */
        static Set<Setting> databaseAnd(Setting... more) {
            EnumSet<Setting> settings = EnumSet.copyOf(DATABASE);
            settings.addAll(List.of(more));
            return Collections.unmodifiableSet(settings);
        }
    }
}
