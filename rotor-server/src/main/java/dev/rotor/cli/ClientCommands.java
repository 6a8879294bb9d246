package dev.rotor.cli;

import dev.rotor.config.Origins;
import dev.rotor.oauth.Client;
import dev.rotor.oauth.ClientRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "client", description = "Manage OAuth clients.", subcommands = {ClientCommands.Add.class, ClientCommands.ListClients.class})
final class ClientCommands {
    static final String DEFAULT_SCOPE = "openid profile email offline_access";

    @Command(name = "add", description = "Register a client. A confidential client's secret is read from stdin (--secret-stdin) or generated and shown once.")
    static final class Add extends RotorCommand.OnDatabase {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;
        @Option(names = "--type", required = true, paramLabel = "public|confidential")
        String type;
        @Option(names = "--redirect-uri", paramLabel = "URI")
        List<String> redirectUris = new ArrayList<>();
        @Option(names = "--grant", paramLabel = "GRANT", description = "authorization_code, refresh_token, client_credentials, password; "
                + "default refresh_token (public) or client_credentials (confidential)")
        List<String> grants = new ArrayList<>();
        @Option(names = "--origin", paramLabel = "ORIGIN", description = "browser origin allowed to use the cookie API, e.g. https://app.example.com")
        List<String> origins = new ArrayList<>();
        @Option(names = "--first-party", description = "a trusted first-party app: may use the password grant")
        boolean firstParty;
        @Option(names = "--secret-stdin", description = "read the client secret (at least 32 characters) from standard input")
        boolean secretStdin;
        @Option(names = "--scope", paramLabel = "SCOPE", description = "scopes it may ask for; default: " + DEFAULT_SCOPE)
        String scope = DEFAULT_SCOPE;
        @Option(names = "--claim", paramLabel = "CLAIM", description = "profile claim its access tokens carry: name, preferred_username"
                + " (with scope profile), email (with scope email)")
        List<String> claims = new ArrayList<>();

        @Override
        int run(Services rotor, Terminal out) throws Exception {
            if (!clientId.matches("[A-Za-z0-9._~-]{1,128}")) throw new IllegalArgumentException("client id must be 1-128 of A-Z a-z 0-9 . _ ~ -");
            Client.Type t = switch (type) {
                case "public" -> Client.Type.PUBLIC;
                case "confidential" -> Client.Type.CONFIDENTIAL;
                default -> throw new IllegalArgumentException("--type must be public or confidential");
            };
            Set<String> grantSet = new LinkedHashSet<>(grants);
            if (grantSet.isEmpty()) grantSet.add(t == Client.Type.PUBLIC ? "refresh_token" : "client_credentials");
            for (String g : grantSet) if (!Client.KNOWN_GRANTS.contains(g)) throw new IllegalArgumentException("unknown grant " + g);
            if (grantSet.contains("password") && !firstParty) throw new IllegalArgumentException("the password grant needs --first-party");
            if (grantSet.contains("client_credentials") && t == Client.Type.PUBLIC) throw new IllegalArgumentException("client_credentials needs a confidential client");
            for (String o : origins) checkOrigin(o);
            for (String u : redirectUris) checkRedirect(u);
            String secret = null;
            boolean generated = false;
            if (t == Client.Type.CONFIDENTIAL) {
                if (secretStdin) {
                    secret = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                    if (secret == null || secret.length() < 32) throw new IllegalArgumentException("the client secret must have at least 32 characters");
                } else {
                    byte[] b = new byte[32];
                    new SecureRandom().nextBytes(b);
                    secret = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
                    generated = true;
                }
            } else if (secretStdin) {
                throw new IllegalArgumentException("a public client has no secret");
            }
            Client client = new Client(clientId, t, secret == null ? null : ClientRegistry.hashSecret(secret), redirectUris, grantSet,
                    new LinkedHashSet<>(origins), firstParty, scope.trim(), Instant.now(), new LinkedHashSet<>(claims));
            rotor.clientStore().add(client);
            out.line("created %s client %s (grants: %s)", t.value(), clientId, String.join(", ", grantSet));
            if (generated) out.line("client secret (shown once, store it now): %s", secret);
            return 0;
        }

        private static void checkOrigin(String o) {
            if (!Origins.isOrigin(o)) throw new IllegalArgumentException("'" + o + "' is not an origin (scheme://host[:port], no path)");
        }

        private static void checkRedirect(String r) {
            URI u = URI.create(r);
            if (u.getScheme() == null || u.getFragment() != null) throw new IllegalArgumentException("'" + r + "' is not an absolute redirect URI without fragment");
        }
    }

    @Command(name = "list", description = "List clients.")
    static final class ListClients extends RotorCommand.OnDatabase {
        @Override
        int run(Services rotor, Terminal out) {
            out.line("%-24s  %-12s  %-11s  %-40s  %-30s  %s", "ID", "TYPE", "FIRST-PARTY", "GRANTS", "CLAIMS", "ORIGINS");
            for (Client c : rotor.clientStore().list()) {
                out.line("%-24s  %-12s  %-11s  %-40s  %-30s  %s", c.id(), c.type().value(), c.firstParty() ? "yes" : "no",
                        String.join(",", c.grants()), String.join(",", new java.util.TreeSet<>(c.claims())), String.join(",", c.origins()));
            }
            return 0;
        }
    }
}
