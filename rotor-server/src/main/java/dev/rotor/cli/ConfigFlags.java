package dev.rotor.cli;

import dev.rotor.config.RotorConfig;
import dev.rotor.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Adds one flag per {@link Setting} (and {@code --config FILE}) to every command, generated from the settings
 * so that the flags, the environment variables and the file keys can never drift apart.
 */
final class ConfigFlags {
    static final String CONFIG = "--config";

    private ConfigFlags() {}

    static void addTo(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        if (spec.userObject() instanceof ConfiguredCommand) {
            spec.addOption(OptionSpec.builder(CONFIG).paramLabel("FILE").type(String.class)
                    .description("config file (properties: key = value); default ./rotor.conf if it exists; env ROTOR_CONFIG").build());
            for (Setting s : Setting.values()) {
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

    /** Marks commands that read the configuration. */
    interface ConfiguredCommand {}
}
