package dev.rotor.cli;

import dev.rotor.config.Setting;
import dev.rotor.token.SigningKey;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "keys", description = "Signing keys.", subcommands = {KeyCommands.ListKeys.class, KeyCommands.Rotate.class,
        KeyCommands.Retire.class})
final class KeyCommands {

    @Command(name = "list", description = "List signing keys and their state.")
    static final class ListKeys extends RotorCommand.OnDatabase {
        @Override
        int run(Services rotor, Terminal out) {
            out.line("%-36s  %-6s  %-9s  %-24s  %-24s  %s", "KID", "ALG", "STATE", "CREATED", "ACTIVATED", "RETIRE AT");
            for (SigningKey k : rotor.keys().list()) {
                out.line("%-36s  %-6s  %-9s  %-24s  %-24s  %s", k.kid(), k.alg(), k.state().value(), k.createdAt(),
                        k.activatedAt() == null ? "-" : k.activatedAt(), k.retireAt() == null ? "-" : k.retireAt());
            }
            return 0;
        }
    }

    @Command(name = "rotate", description = "Promote the next key to active now; the old active key keeps being published until its tokens expire.")
    static final class Rotate extends RotorCommand.OnDatabase {
        @Option(names = "--force", description = "Rotate even if the next key was published less than 5.5 minutes ago"
                + " (resource servers with a cached JWKS may refuse its tokens until the cache expires).")
        boolean force;

        /** The successor key it generates uses the algorithm; the old active key retires after the access token lifetime. */
        @Override
        public Set<Setting> settings() {
            return ConfigFlags.ConfiguredCommand.databaseAnd(Setting.SIGNING_ALG, Setting.ACCESS_TTL);
        }

        @Override
        int run(Services rotor, Terminal out) {
            rotor.keys().start();
            SigningKey active = rotor.keys().rotate(force);
            out.line("active signing key is now %s (%s); running servers pick it up within 30s", active.kid(), active.alg());
            return 0;
        }
    }

    @Command(name = "retire", description = "Withdraw a retiring key now (a leaked key): it leaves the JWKS, so its tokens are refused"
            + " once servers reload (30s) and resource servers' JWKS caches expire (5 min).")
    static final class Retire extends RotorCommand.OnDatabase {
        @Parameters(index = "0", paramLabel = "KID")
        String kid;

        @Override
        int run(Services rotor, Terminal out) {
            rotor.keys().start();
            rotor.keys().retireNow(kid);
            out.line("retired %s; running servers drop it within 30s, resource servers when their JWKS cache expires (5 min)", kid);
            return 0;
        }
    }
}
