package dev.rotor.cli;

import dev.rotor.audit.RequestInfo;
import dev.rotor.oauth.Scopes;
import dev.rotor.oauth.authorize.ConsentStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "consent", description = "What users allowed apps (clients) to do: the consent page's answers.",
        subcommands = {ConsentCommands.ListConsents.class, ConsentCommands.Withdraw.class})
final class ConsentCommands {

    @Command(name = "list", description = "List the apps a user allowed, with the scopes and when.")
    static final class ListConsents extends RotorCommand.OnDatabase {
        @Option(names = "--user", paramLabel = "USERNAME", required = true)
        String username;
        @Option(names = "--json", description = "print a JSON array")
        boolean json;

        @Override
        int run(Services rotor, Terminal out) {
            List<ConsentStore.Consent> consents = rotor.consents().list(SessionCommands.user(rotor, username).id());
            if (json) {
                out.json(consents.stream().map(ConsentCommands::fields).toList());
                return 0;
            }
            out.line("%-24s  %-24s  %s", "CLIENT", "ALLOWED AT", "SCOPE");
            for (ConsentStore.Consent c : consents) out.line("%-24s  %-24s  %s", c.clientId(), c.grantedAt(), c.scope());
            return 0;
        }
    }

    @Command(name = "withdraw", description = "Withdraw a user's consent for a client and end that client's sessions of the user;"
            + " the client must ask again. Exit 1 when there was none.")
    static final class Withdraw extends RotorCommand.OnDatabase {
        @Option(names = "--user", paramLabel = "USERNAME", required = true)
        String username;
        @Option(names = "--client", paramLabel = "CLIENT_ID", required = true)
        String clientId;

        @Override
        int run(Services rotor, Terminal out) {
            if (!rotor.consents().withdraw(SessionCommands.user(rotor, username).id(), clientId, RequestInfo.NONE)) {
                out.error("%s has no consent for %s: nothing withdrawn (see rotor consent list --user %s)", username, clientId, username);
                return 1;
            }
            out.line("withdrew the consent of %s for %s and ended its sessions of %s", username, clientId, username);
            return 0;
        }
    }

    /** A consent as JSON; the scope as the space-separated string and as a list. */
    static Map<String, Object> fields(ConsentStore.Consent c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_id", c.clientId());
        m.put("scope", c.scope());
        m.put("scopes", List.copyOf(Scopes.parse(c.scope())));
        m.put("granted_at", c.grantedAt().toString());
        return m;
    }
}
