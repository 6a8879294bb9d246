package dev.rotor.cli;

import dev.rotor.account.User;
import dev.rotor.audit.RequestInfo;
import dev.rotor.config.Setting;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import dev.rotor.session.TokenUse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

        /** A session unused for the idle timeout is not live. */
        @Override
        public Set<Setting> settings() {
            return ConfigFlags.ConfiguredCommand.databaseAnd(Setting.IDLE_TTL);
        }

        @Option(names = "--json", description = "print a JSON array")
        boolean json;

        @Override
        int run(Services rotor, Terminal out) {
            List<RefreshTokenFamily> list = username == null ? rotor.sessions().listActive(1000) : rotor.sessions().activeFor(user(rotor, username).id());
            Usernames usernames = new Usernames(rotor.users());
            if (json) {
                out.json(list.stream().map(s -> fields(s, usernames.of(s.userId()))).toList());
                return 0;
            }
            out.line("%-36s  %-36s  %-24s  %-20s  %-24s  %-24s  %s", "ID", "USER", "USERNAME", "CLIENT", "CREATED", "LAST USED", "IP");
            for (RefreshTokenFamily s : list) {
                out.line("%-36s  %-36s  %-24s  %-20s  %-24s  %-24s  %s", s.id(), s.userId(), usernames.of(s.userId()), s.clientId(), s.createdAt(),
                        s.lastUsedAt(), s.lastIp());
            }
            return 0;
        }

        /** A live session as JSON; it holds no token (a family is known by id, its tokens by their hashes only). */
        private static Map<String, Object> fields(RefreshTokenFamily s, String username) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("session_id", s.id());
            m.put("user_id", s.userId());
            m.put("username", username);
            m.put("client_id", s.clientId());
            m.put("scope", s.scope());
            m.put("created_at", s.createdAt().toString());
            m.put("last_used_at", s.lastUsedAt().toString());
            m.put("expires_at", s.expiresAt().toString());
            m.put("last_ip", s.lastIp());
            m.put("generation", s.generation());
            return m;
        }
    }

    @Command(name = "show", description = "Show one session.")
    static final class Show extends RotorCommand.OnDatabase {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        /** Whether it is active or expired depends on the idle timeout. */
        @Override
        public Set<Setting> settings() {
            return ConfigFlags.ConfiguredCommand.databaseAnd(Setting.IDLE_TTL);
        }

        @Override
        int run(Services rotor, Terminal out) {
            RefreshTokenFamily s = rotor.sessions().find(id).orElseThrow(() -> new IllegalArgumentException("no session " + id));
            out.line("id:            %s", s.id());
            out.line("user:          %s (%s)", s.userId(), new Usernames(rotor.users()).of(s.userId()));
            out.line("client:        %s", s.clientId());
            out.line("scope:         %s", s.scope());
            if (s.isRevoked()) out.line("state:         revoked (%s) at %s", s.revokeReason(), s.revokedAt());
            else out.line("state:         %s", rotor.sessions().isActive(s) ? "active" : "expired");
            out.line("created:       %s from %s (%s)", s.createdAt(), s.createdIp(), s.createdUserAgent());
            out.line("last used:     %s from %s (%s)", s.lastUsedAt(), s.lastIp(), s.lastUserAgent());
            out.line("expires:       %s", s.expiresAt());
            out.line("generation:    %s", s.generation());
            out.line("amr / acr:     %s / %s", String.join(" ", s.amr()), s.acr());
            out.line("channel:       %s", s.channel() == null ? "not recorded" : s.channel().value());
            List<TokenUse> uses = rotor.sessions().uses(s.id());
            if (!uses.isEmpty()) {
                out.line("uses (newest first; the last %d, and the last %d from a new IP or user agent):", Sessions.KEEP_RECENT_USES,
                        Sessions.KEEP_CHANGED_USES);
                for (TokenUse u : uses) {
                    out.line("  generation %-6s %s from %s (%s)%s", u.generation(), u.at(), u.ip(), u.userAgent(), u.changed() ? "  new IP or user agent" : "");
                }
            }
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
        int run(Services rotor, Terminal out) {
            if (target.username != null) {
                int n = rotor.sessions().revokeAll(user(rotor, target.username).id(), "operator", RequestInfo.NONE);
                out.line("revoked %s session(s) of %s", n, target.username);
            } else {
                RefreshTokenFamily s = rotor.sessions().find(target.sessionId).orElseThrow(() -> new IllegalArgumentException("no session " + target.sessionId));
                boolean revoked = rotor.sessions().revoke(s, "operator", RequestInfo.NONE);
                out.line(revoked ? "revoked session %s" : "session %s was already revoked", s.id());
            }
            return 0;
        }
    }
}
