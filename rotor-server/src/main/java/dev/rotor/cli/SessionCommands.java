package dev.rotor.cli;

import dev.rotor.account.User;
import dev.rotor.audit.RequestInfo;
import dev.rotor.session.Session;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sessions", description = "Sessions (refresh-token families).",
        subcommands = {SessionCommands.ListSessions.class, SessionCommands.Show.class, SessionCommands.Revoke.class})
final class SessionCommands {

    static User user(Services rotor, String username) {
        return rotor.users().findByUsername(username).orElseThrow(() -> new IllegalArgumentException("no user " + username));
    }

    @Command(name = "list", description = "List live sessions, newest first.")
    static final class ListSessions extends RotorCommand.OnDatabase {
        @Option(names = "--user", paramLabel = "USERNAME")
        String username;

        @Override
        int run(Services rotor, PrintWriter out) {
            List<Session> list = username == null ? rotor.sessions().listActive(1000) : rotor.sessions().activeFor(user(rotor, username).id());
            out.printf("%-36s  %-36s  %-20s  %-24s  %-24s  %s%n", "ID", "USER", "CLIENT", "CREATED", "LAST USED", "IP");
            for (Session s : list) {
                out.printf("%-36s  %-36s  %-20s  %-24s  %-24s  %s%n", s.id(), s.userId(), s.clientId(), s.createdAt(), s.lastUsedAt(), s.lastIp());
            }
            return 0;
        }
    }

    @Command(name = "show", description = "Show one session.")
    static final class Show extends RotorCommand.OnDatabase {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int run(Services rotor, PrintWriter out) {
            Session s = rotor.sessions().find(id).orElseThrow(() -> new IllegalArgumentException("no session " + id));
            out.println("id:            " + s.id());
            out.println("user:          " + s.userId());
            out.println("client:        " + s.clientId());
            out.println("scope:         " + s.scope());
            out.println("state:         " + (s.isRevoked() ? "revoked (" + s.revokeReason() + ") at " + s.revokedAt()
                    : rotor.sessions().isActive(s) ? "active" : "expired"));
            out.println("created:       " + s.createdAt() + " from " + s.createdIp() + " (" + s.createdUserAgent() + ")");
            out.println("last used:     " + s.lastUsedAt() + " from " + s.lastIp() + " (" + s.lastUserAgent() + ")");
            out.println("expires:       " + s.expiresAt());
            out.println("generation:    " + s.generation());
            out.println("amr / acr:     " + String.join(" ", s.amr()) + " / " + s.acr());
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke one session or all sessions of a user.")
    static final class Revoke extends RotorCommand.OnDatabase {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        static final class Target {
            @Option(names = "--user", paramLabel = "USERNAME", required = true)
            String username;
            @Option(names = "--session", paramLabel = "ID", required = true)
            String sessionId;
        }

        @Override
        int run(Services rotor, PrintWriter out) {
            if (target.username != null) {
                int n = rotor.sessions().revokeAll(user(rotor, target.username).id(), "operator", RequestInfo.NONE);
                out.println("revoked " + n + " session(s) of " + target.username);
            } else {
                Session s = rotor.sessions().find(target.sessionId).orElseThrow(() -> new IllegalArgumentException("no session " + target.sessionId));
                boolean revoked = rotor.sessions().revoke(s, "operator", RequestInfo.NONE);
                out.println(revoked ? "revoked session " + s.id() : "session " + s.id() + " was already revoked");
            }
            return 0;
        }
    }
}
