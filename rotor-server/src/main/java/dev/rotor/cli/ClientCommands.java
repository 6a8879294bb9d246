package dev.rotor.cli;

import dev.rotor.config.Durations;
import dev.rotor.oauth.Client;
import dev.rotor.oauth.registration.ClientRegistration;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

@Command(name = "client", description = "Manage OAuth clients.", subcommands = {ClientCommands.Add.class, ClientCommands.ListClients.class,
        ClientCommands.Show.class, ClientCommands.RotateSecret.class, ClientCommands.Remove.class})
final class ClientCommands {

    @Command(name = "add", description = {"Register a client. A confidential client's secret is generated and printed alone on standard output"
            + " (capture it: SECRET=$(rotor client add ...)), or read from standard input with --secret-stdin.",
            "Redirect URIs: https, http on 127.0.0.1, [::1] or localhost, or a private-use scheme in reverse-DNS form (com.example.app:/cb)."})
    static final class Add extends RotorCommand.OnDatabase {
        @Parameters(index = "0", paramLabel = "CLIENT_ID", description = "1-128 of A-Z a-z 0-9 . _ ~ -")
        String clientId;
        @Option(names = "--type", required = true, paramLabel = "public|confidential", converter = TypeConverter.class,
                description = "public: a browser or native app, no secret; confidential: a server that keeps a secret")
        Client.Type type;
        @Option(names = "--redirect-uri", paramLabel = "URI", description = "where the authorization code flow may return (repeatable)")
        List<String> redirectUris = new ArrayList<>();
        @Option(names = "--post-logout-redirect-uri", paramLabel = "URI", description = "where logout may send the browser back to (repeatable)")
        List<String> postLogoutRedirectUris = new ArrayList<>();
        @Option(names = "--backchannel-logout-uri", paramLabel = "URI", description = "where logout tokens are POSTed when a session ends (https)")
        String backchannelLogoutUri;
        @Option(names = "--grant", paramLabel = "GRANT", description = "authorization_code, refresh_token, client_credentials, password (repeatable);"
                + " default authorization_code and refresh_token with --redirect-uri, else refresh_token (public) or client_credentials (confidential)")
        List<String> grants = new ArrayList<>();
        @Option(names = "--origin", paramLabel = "ORIGIN", description = "browser origin allowed to use the cookie API, e.g. https://app.example.com"
                + " (public clients; repeatable)")
        List<String> origins = new ArrayList<>();
        @Option(names = "--first-party", description = "an app of your own: may use the password grant and skip the consent page")
        boolean firstParty;
        @Option(names = "--consent", paramLabel = "required|skip", converter = ConsentConverter.class,
                description = "whether users are asked to allow the client; default required, skip for --first-party; skip needs --first-party")
        Boolean consentRequired;
        @Option(names = "--secret-stdin", description = "read the client secret (at least 32 characters) from standard input")
        boolean secretStdin;
        @Option(names = "--scope", paramLabel = "SCOPE", description = "scopes it may ask for, space separated; default: " + ClientRegistration.DEFAULT_SCOPE)
        String scope;
        @Option(names = "--claim", paramLabel = "CLAIM", description = "profile claim its access tokens carry: name, preferred_username"
                + " (with scope profile), email (with scope email); repeatable")
        List<String> claims = new ArrayList<>();
        @Option(names = "--json", description = "print the client (and a generated secret) as JSON")
        boolean json;

        @Override
        int run(Services rotor, Terminal out) throws Exception {
            String secret = null;
            if (secretStdin) {
                secret = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (secret == null) throw new IllegalArgumentException("--secret-stdin: nothing on standard input");
            }
            ClientRegistration.Registered r = rotor.clients().register(new ClientRegistration.Request(clientId, type, redirectUris, grants,
                    origins, firstParty, consentRequired, scope, claims, postLogoutRedirectUris, backchannelLogoutUri, secret));
            Client c = r.client();
            for (String note : r.notes()) out.info("note: %s", note);
            if (json) {
                Map<String, Object> fields = fields(c);
                if (r.generatedSecret() != null) fields.put("client_secret", r.generatedSecret());
                out.json(fields);
            } else if (r.generatedSecret() != null) {
                out.info("created confidential client %s (grants: %s); its secret follows on standard output, alone, shown once: store it now"
                        + " (only its SHA-256 is kept)", c.id(), String.join(", ", new TreeSet<>(c.grants())));
                out.line("%s", r.generatedSecret());
            } else {
                out.line("created %s client %s (grants: %s)", c.type().value(), c.id(), String.join(", ", new TreeSet<>(c.grants())));
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List clients.")
    static final class ListClients extends RotorCommand.OnDatabase {
        @Option(names = "--json", description = "print a JSON array")
        boolean json;

        @Override
        int run(Services rotor, Terminal out) {
            List<Client> clients = rotor.clients().list();
            if (json) {
                out.json(clients.stream().map(ClientCommands::fields).toList());
                return 0;
            }
            out.line("%-24s  %-12s  %-11s  %-40s  %-30s  %s", "ID", "TYPE", "FIRST-PARTY", "GRANTS", "CLAIMS", "ORIGINS");
            for (Client c : clients) {
                out.line("%-24s  %-12s  %-11s  %-40s  %-30s  %s", c.id(), c.type().value(), c.firstParty() ? "yes" : "no",
                        String.join(",", new TreeSet<>(c.grants())), String.join(",", new TreeSet<>(c.claims())), String.join(",", new TreeSet<>(c.origins())));
            }
            return 0;
        }
    }

    @Command(name = "show", description = "Show one client, every setting.")
    static final class Show extends RotorCommand.OnDatabase {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;
        @Option(names = "--json", description = "print it as JSON")
        boolean json;

        @Override
        int run(Services rotor, Terminal out) {
            Client c = rotor.clients().find(clientId).orElseThrow(() -> new IllegalArgumentException("no client " + clientId + " (see rotor client list)"));
            if (json) {
                out.json(fields(c));
                return 0;
            }
            out.line("id:                        %s", c.id());
            out.line("type:                      %s", c.type().value());
            out.line("first-party:               %s", c.firstParty() ? "yes" : "no");
            out.line("consent:                   %s", c.consentRequired() ? "required" : "skip");
            out.line("grants:                    %s", String.join(" ", new TreeSet<>(c.grants())));
            out.line("scope:                     %s", c.scope());
            out.line("claims:                    %s", String.join(" ", new TreeSet<>(c.claims())));
            out.line("redirect URIs:             %s", String.join(" ", c.redirectUris()));
            out.line("post-logout redirect URIs: %s", String.join(" ", c.postLogoutRedirectUris()));
            out.line("back-channel logout URI:   %s", c.backchannelLogoutUri() == null ? "" : c.backchannelLogoutUri());
            out.line("origins:                   %s", String.join(" ", new TreeSet<>(c.origins())));
            out.line("created:                   %s", c.createdAt());
            if (c.previousSecretExpiresAt() != null) out.line("previous secret accepted until: %s", c.previousSecretExpiresAt());
            return 0;
        }
    }

    @Command(name = "rotate-secret", description = "Give a confidential client a new generated secret, printed alone on standard output;"
            + " the old one keeps working for the overlap, so that its deployments can switch over.")
    static final class RotateSecret extends RotorCommand.OnDatabase {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;
        @Option(names = "--overlap", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
                description = "how long the old secret keeps working (900s, 15m, 24h, 7d; 0 = stops now; at most 30d); default ${DEFAULT-VALUE}")
        Duration overlap;

        @Override
        int run(Services rotor, Terminal out) {
            ClientRegistration.Registered r = rotor.clients().rotateSecret(clientId, overlap);
            Client c = r.client();
            if (c.previousSecretExpiresAt() == null) out.info("new secret for %s follows on standard output, shown once; the old secret stopped working", c.id());
            else out.info("new secret for %s follows on standard output, shown once; the old secret works until %s", c.id(), c.previousSecretExpiresAt());
            out.line("%s", r.generatedSecret());
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove a client with its sessions, codes and consents. Refused while it has live sessions,"
            + " unless --force (which signs those users out of it).")
    static final class Remove extends RotorCommand.OnDatabase {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;
        @Option(names = "--force", description = "remove it even though users are signed in to it: their sessions end")
        boolean force;

        @Override
        int run(Services rotor, Terminal out) {
            return switch (rotor.clients().remove(clientId, force)) {
                case ClientRegistration.HasLiveSessions live -> {
                    out.error("client %s has %s live session(s); removing it signs those users out: add --force to remove it anyway",
                            live.client().id(), live.sessions());
                    yield CommandLine.ExitCode.SOFTWARE;
                }
                case ClientRegistration.Removed removed -> {
                    out.line("removed client %s and its %s session(s)", removed.client().id(), removed.sessions());
                    yield 0;
                }
            };
        }
    }

    /** A client as JSON: the field names of client metadata (RFC 7591 §2), and what Rotor adds. The secret hash never appears. */
    static Map<String, Object> fields(Client c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_id", c.id());
        m.put("client_type", c.type().value());
        m.put("first_party", c.firstParty());
        m.put("consent", c.consentRequired() ? "required" : "skip");
        m.put("grant_types", new TreeSet<>(c.grants()));
        m.put("scope", c.scope());
        m.put("claims", new TreeSet<>(c.claims()));
        m.put("redirect_uris", c.redirectUris());
        m.put("post_logout_redirect_uris", c.postLogoutRedirectUris());
        m.put("backchannel_logout_uri", c.backchannelLogoutUri());
        m.put("allowed_origins", new TreeSet<>(c.origins()));
        m.put("created_at", c.createdAt().toString());
        m.put("previous_secret_expires_at", c.previousSecretExpiresAt() == null ? null : c.previousSecretExpiresAt().toString());
        return m;
    }

    static final class TypeConverter implements ITypeConverter<Client.Type> {
        @Override
        public Client.Type convert(String value) {
            return switch (value) {
                case "public" -> Client.Type.PUBLIC;
                case "confidential" -> Client.Type.CONFIDENTIAL;
                default -> throw new TypeConversionException("--type must be public or confidential, not '" + value + "'");
            };
        }
    }

    static final class ConsentConverter implements ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            return switch (value) {
                case "required" -> true;
                case "skip" -> false;
                default -> throw new TypeConversionException("--consent must be required or skip, not '" + value + "'");
            };
        }
    }

    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("not a duration: '" + value + "' (900s, 15m, 24h, 7d)");
            }
        }
    }
}
