package dev.rotor.cli;

import dev.rotor.account.User;
import dev.rotor.audit.RequestInfo;
import dev.rotor.config.Setting;
import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "user", description = "Manage users.", subcommands = {UserCommands.Add.class, UserCommands.ListUsers.class, UserCommands.Disable.class})
final class UserCommands {

    @Command(name = "add", description = "Create a user. The password is read from stdin (--password-stdin) or prompted for.")
    static final class Add extends RotorCommand.OnDatabase {
        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;
        @Option(names = "--email", paramLabel = "E")
        String email;
        @Option(names = "--name", paramLabel = "N")
        String name;
        @Option(names = "--password-stdin", description = "read the password from the first line of standard input")
        boolean passwordStdin;
        @Option(names = "--no-password", description = "create the user without a password (cannot sign in with one)")
        boolean noPassword;
        @Option(names = "--json", description = "print the new user as JSON")
        boolean json;

        /** The password hash it stores is made with these parameters. */
        @Override
        public Set<Setting> settings() {
            return ConfigFlags.ConfiguredCommand.databaseAnd(Setting.ARGON2_MEMORY_KIB, Setting.ARGON2_ITERATIONS, Setting.ARGON2_PARALLELISM);
        }

        @Override
        int run(Services rotor, Terminal out) throws Exception {
            if (passwordStdin && noPassword) throw new ParameterException(spec.commandLine(), "--password-stdin and --no-password exclude each other");
            String password = noPassword ? null : passwordStdin ? readLine() : prompt();
            User user = rotor.accounts().register(username, email, name, password);
            if (json) out.json(fields(user));
            else out.line("created user %s (id %s)%s", user.username(), user.id(), password == null ? ", without a password" : "");
            return 0;
        }

        private static String readLine() throws java.io.IOException {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) throw new IllegalArgumentException("no password on standard input");
            return line;
        }

        private String prompt() {
            Console console = System.console();
            if (console == null) {
                throw new ParameterException(spec.commandLine(), "no terminal to ask for the password: use --password-stdin (or --no-password)");
            }
            char[] first = console.readPassword("Password: ");
            char[] second = console.readPassword("Repeat: ");
            if (first == null || second == null || !Arrays.equals(first, second)) throw new IllegalArgumentException("passwords do not match");
            return new String(first);
        }
    }

    @Command(name = "list", description = "List users.")
    static final class ListUsers extends RotorCommand.OnDatabase {
        @Option(names = "--json", description = "print a JSON array")
        boolean json;

        @Override
        int run(Services rotor, Terminal out) {
            if (json) {
                out.json(rotor.users().list().stream().map(UserCommands::fields).toList());
                return 0;
            }
            out.line("%-36s  %-24s  %-8s  %s", "ID", "USERNAME", "STATE", "EMAIL");
            for (User u : rotor.users().list()) {
                out.line("%-36s  %-24s  %-8s  %s", u.id(), u.username(), u.disabled() ? "disabled" : "active", u.email() == null ? "" : u.email());
            }
            return 0;
        }
    }

    @Command(name = "disable", description = "Disable a user and revoke all of their sessions.")
    static final class Disable extends RotorCommand.OnDatabase {
        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;

        @Override
        int run(Services rotor, Terminal out) {
            User user = rotor.users().findByUsername(username).orElseThrow(() -> new IllegalArgumentException("no user " + username));
            rotor.users().disable(username);
            // Single sign-on sessions end too (no more silent sign-ins), and every client that took part is told.
            int n = rotor.signOut().endAllForUser(user.id(), "user_disabled", RequestInfo.NONE);
            out.line("disabled %s; revoked %s session(s)", username, n);
            return 0;
        }
    }

    /** A user as JSON; the password hash never appears, only whether there is one. */
    static Map<String, Object> fields(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user_id", u.id());
        m.put("username", u.username());
        m.put("email", u.email());
        m.put("name", u.name());
        m.put("disabled", u.disabled());
        m.put("has_password", u.passwordHash() != null);
        m.put("created_at", u.createdAt().toString());
        return m;
    }
}
