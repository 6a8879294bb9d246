package dev.rotor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.app.Rotor;
import dev.rotor.testing.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every command that prints stored values prints them escaped. In-process, on one data directory seeded with
 * {@link HostileValues}; {@link CliIT} runs the commands as an operator does, each in its own JVM.
 */
class CommandOutputTest {
    @TempDir
    static Path dir;
    private static String session;

    @BeforeAll
    static void seed() throws Exception {
        session = HostileValues.seed(dir);
    }

    record Output(int exit, String out, String err) {}

    private static Output rotor(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> withDir = new ArrayList<>(List.of(args));
        withDir.addAll(List.of("--data-dir", dir.toString()));
        int exit = RotorCommand.commandLine(config -> Rotor.open(config, Clock.systemUTC(), TestServer.MASTER_KEY))
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(withDir.toArray(String[]::new));
        return new Output(exit, out.toString(), err.toString());
    }

    @ParameterizedTest(name = "rotor {0}")
    @ValueSource(strings = {"audit tail", "sessions show SESSION", "sessions list", "user list", "client list", "keys list"})
    void storedValuesArePrintedEscaped(String command) {
        Output o = rotor(command.replace("SESSION", session).split(" "));

        assertThat(o.exit()).as(o.err()).isZero();
        HostileValues.assertEscaped(o.out());
    }

    @Test
    void errorMessagesAreEscapedToo() {
        Output o = rotor("sessions", "show", "no" + HostileValues.TEXT);

        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.err()).startsWith("rotor: no session no" + HostileValues.PRINTED);
        HostileValues.assertEscaped(o.err());
    }

    @Test
    void picocliRefusalsQuotingTheArgumentsAreEscaped() {
        Output o = rotor("user", "list", "--bogus" + HostileValues.TEXT);

        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains("--bogus" + HostileValues.PRINTED);
        assertThat(o.err().lines()).noneMatch(l -> l.startsWith("forged"));
    }
}
