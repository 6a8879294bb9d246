package dev.rotor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.account.User;
import dev.rotor.app.Rotor;
import dev.rotor.audit.RequestInfo;
import dev.rotor.config.RotorConfig;
import dev.rotor.config.Setting;
import dev.rotor.oauth.Client;
import dev.rotor.oauth.ClientRegistry;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The operator's CLI as an operator runs it: a separate JVM per command on a data directory, input on stdin,
 * judged by exit code and output. Above all by what it refuses, and by never echoing a secret.
 */
class CliIT {
    private static final String PASSWORD = TestServer.PASSWORD;

    @TempDir
    Path dir;

    /** What one command did. */
    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }

        Run ok() {
            assertThat(exit).as("exit code; stdout: %s; stderr: %s", out, err).isZero();
            return this;
        }

        Run refused(String because) {
            assertThat(exit).as("exit code; stdout: %s", out).isNotZero();
            assertThat(err).contains(because);
            return this;
        }
    }

    @Test
    void userAddListDisableAndWhatTheyRefuse() {
        Run added = rotor(PASSWORD + "\n", "user", "add", "alice", "--email", "alice@example.test", "--password-stdin").ok();
        assertThat(added.out()).contains("created user alice");

        rotor(PASSWORD + "\n", "user", "add", "alice", "--password-stdin").refused("alice");
        rotor(PASSWORD + "\n", "user", "add", "ALICE", "--password-stdin").refused("is taken");
        rotor(PASSWORD + "\n", "user", "add", "\u0430lice", "--password-stdin").refused("looks like an existing user");
        rotor(PASSWORD + "\n", "user", "add", "al ice", "--password-stdin").refused("username is not allowed");
        String weak = "abc12";
        assertThat(rotor(weak + "\n", "user", "add", "bob", "--password-stdin").refused("password").all()).doesNotContain(weak);
        rotor("", "user", "add", "carol", "--password-stdin").refused("no password on standard input");
        // Piped input without --password-stdin: no terminal to ask on, so no user without the password meant for it.
        rotor(PASSWORD + "\n", "user", "add", "dave").refused("--password-stdin");
        rotor(PASSWORD + "\n", "user", "add", "erin", "--password-stdin", "--no-password").refused("exclude each other");

        String list = rotor(null, "user", "list").ok().out();
        assertThat(list).contains("alice").contains("active").contains("alice@example.test");
        assertThat(list).doesNotContain("bob", "carol", "dave", "erin");

        rotor(null, "client", "add", "cli", "--type", "public").ok();
        String session = inProcess(rotor -> rotor.sessions().start(user(rotor, "alice").id(), "cli", "openid", List.of("pwd"), "1",
                RefreshTokenFamily.Channel.TOKEN_ENDPOINT, RequestInfo.NONE).family().id());
        assertThat(rotor(null, "user", "disable", "alice").ok().out()).contains("disabled alice; revoked 1 session(s)");

        assertThat(rotor(null, "user", "list").ok().out()).contains("disabled");
        inProcess(rotor -> {
            assertThat(rotor.accounts().authenticate("alice", PASSWORD)).as("a disabled user cannot sign in").isEmpty();
            assertThat(rotor.sessions().find(session).orElseThrow().isRevoked()).isTrue();
            return null;
        });
        rotor(null, "user", "disable", "nobody").refused("nobody");
        assertNoSecretWasEchoed();
    }

    @Test
    void clientAddShowsAGeneratedSecretOnceAndRefusesWhatCannotWork() {
        rotor(null, "client", "add", "web", "--type", "public", "--origin", "https://app.example.test").ok();
        Run confidential = rotor(null, "client", "add", "backend", "--type", "confidential", "--grant", "client_credentials").ok();
        Matcher m = Pattern.compile("\\A(\\S+)\\n\\z").matcher(confidential.out()); // the secret alone on stdout
        assertThat(m.find()).as(confidential.out()).isTrue();
        String secret = m.group(1);
        assertThat(secret).hasSizeGreaterThanOrEqualTo(32);

        String list = rotor(null, "client", "list").ok().out();
        assertThat(list).contains("web", "https://app.example.test", "backend", "confidential").doesNotContain(secret);

        String shortSecret = "too-short-secret";
        assertThat(rotor(shortSecret + "\n", "client", "add", "api", "--type", "confidential", "--secret-stdin").refused("32 characters")
                .all()).doesNotContain(shortSecret);
        rotor(null, "client", "add", "web2", "--type", "public", "--origin", "https://app.example.test/app").refused("not an origin");
        rotor(null, "client", "add", "web3", "--type", "public", "--origin", "app.example.test").refused("not an origin");
        rotor(null, "client", "add", "mobile", "--type", "public", "--grant", "password").refused("--first-party");
        rotor(null, "client", "add", "cron", "--type", "public", "--grant", "client_credentials").refused("confidential");
        rotor(null, "client", "add", "x", "--type", "public", "--grant", "implicit").refused("unknown grant");
        rotor(null, "client", "add", "a b", "--type", "public").refused("client id");
        rotor(null, "client", "add", "web", "--type", "public").refused("web");
        rotor(null, "client", "add", "odd", "--type", "secret").refused("--type");
        rotor(null, "client", "add", "nosy", "--type", "public", "--claim", "phone_number").refused("unknown claim");
        rotor(null, "client", "add", "nosy", "--type", "public", "--claim", "email", "--scope", "openid profile").refused("needs scope email");
        rotor(null, "client", "add", "nosy", "--type", "confidential", "--grant", "client_credentials", "--claim", "name")
                .refused("signs users in");
        rotor(null, "client", "add", "profiled", "--type", "public", "--claim", "email", "--claim", "name").ok();
        assertThat(rotor(null, "client", "list").ok().out().lines().filter(l -> l.startsWith("profiled"))).singleElement().asString()
                .contains("email,name");

        assertThat(rotor(null, "client", "list").ok().out()).doesNotContain("web2", "web3", "mobile", "cron", "odd", "nosy");
        assertNoSecretWasEchoed();
    }

    @Test
    void keysRotateIsRefusedWhileTheNextKeyIsNewUnlessForcedAndRetireWithdrawsTheOldKey() {
        assertThat(rotor(null, "keys", "list").ok().out().lines().count()).as("only the header before the first start").isEqualTo(1);

        rotor(null, "keys", "rotate").refused("--force");
        Run forced = rotor(null, "keys", "rotate", "--force").ok();
        Matcher m = Pattern.compile("active signing key is now (\\S+) \\(ES256\\)").matcher(forced.out());
        assertThat(m.find()).as(forced.out()).isTrue();

        String keys = rotor(null, "keys", "list").ok().out();
        assertThat(keys.lines().filter(l -> l.startsWith(m.group(1)))).singleElement().asString().contains("active");
        assertThat(keys).contains("retiring").contains("next");
        rotor(null, "keys", "rotate").refused("--force");

        String retiring = keys.lines().filter(l -> l.contains("retiring")).findFirst().orElseThrow().split("\\s+")[0];
        rotor(null, "keys", "retire", m.group(1)).refused("active");
        assertThat(rotor(null, "keys", "retire", retiring).ok().out()).contains("retired " + retiring);
        assertThat(rotor(null, "keys", "list").ok().out().lines().filter(l -> l.startsWith(retiring))).singleElement().asString()
                .contains("retired");
    }

    @Test
    void sessionsListShowRevokeAndTheAuditTrail() {
        rotor(PASSWORD + "\n", "user", "add", "alice", "--password-stdin").ok();
        rotor(null, "client", "add", "cli", "--type", "public").ok();
        List<Sessions.Started> started = inProcess(rotor -> {
            String alice = user(rotor, "alice").id();
            List<Sessions.Started> s = new ArrayList<>();
            for (int i = 0; i < 3; i++) s.add(rotor.sessions().start(alice, "cli", "openid", List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT,
                    new RequestInfo("192.0.2.7", "test")));
            return s;
        });
        String first = started.get(0).family().id();

        String list = rotor(null, "sessions", "list", "--user", "alice").ok().out();
        for (Sessions.Started s : started) assertThat(list).contains(s.family().id()).doesNotContain(s.refreshToken());
        assertThat(list.lines().skip(1)).as("the username beside the user id").hasSize(3).allMatch(l -> l.matches("\\S+  \\S+  alice +  cli .*"));
        assertThat(rotor(null, "sessions", "show", first).ok().out()).contains("client:        cli").contains("192.0.2.7").contains("active")
                .containsPattern("user: +\\S+ \\(alice\\)");

        assertThat(rotor(null, "sessions", "revoke", "--session", first).ok().out()).contains("revoked session " + first);
        assertThat(rotor(null, "sessions", "revoke", "--session", first).ok().out()).contains("was already revoked");
        assertThat(rotor(null, "sessions", "show", first).ok().out()).contains("revoked (operator)");
        assertThat(rotor(null, "sessions", "revoke", "--user", "alice").ok().out()).contains("revoked 2 session(s) of alice");
        assertThat(rotor(null, "sessions", "list", "--user", "alice").ok().out().lines().count()).isEqualTo(1);
        rotor(null, "sessions", "show", "no-such-session").refused("no-such-session");
        rotor(null, "sessions", "revoke", "--user", "alice", "--session", first).refused("mutually exclusive");

        String audit = rotor(null, "audit", "tail", "-n", "50").ok().out();
        assertThat(audit).contains("session.created", "session.revoked", "session.revoked_all", "192.0.2.7");
        assertThat(audit.lines().filter(l -> l.contains("session.created"))).hasSize(3).allMatch(l -> l.contains(" (alice)  session="));
        Run none = rotor(null, "audit", "tail", "-n", "0").ok();
        assertThat(none.out()).as("-n 0 prints no event").isEmpty();
        assertThat(rotor(null, "audit", "tail", "-n", "-1").exit()).isEqualTo(2);
        for (Sessions.Started s : started) assertThat(audit).doesNotContain(s.refreshToken());
    }

    @Test
    void consentListAndWithdrawWhichEndsThatClientsSessionsAndIsAudited() throws Exception {
        rotor(PASSWORD + "\n", "user", "add", "alice", "--password-stdin").ok();
        rotor(PASSWORD + "\n", "user", "add", "bob", "--password-stdin").ok();
        rotor(null, "client", "add", "partner", "--type", "public", "--redirect-uri", "https://partner.example.test/cb").ok();
        rotor(null, "client", "add", "web", "--type", "public", "--first-party", "--redirect-uri", "https://app.example.test/cb").ok();
        List<String> families = inProcess(rotor -> {
            String alice = user(rotor, "alice").id();
            rotor.consents().allow(alice, "partner", "openid profile");
            rotor.consents().allow(user(rotor, "bob").id(), "partner", "openid");
            return List.of(rotor.sessions().start(alice, "partner", "openid", List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT,
                            RequestInfo.NONE).family().id(),
                    rotor.sessions().start(alice, "web", "openid", List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT,
                            RequestInfo.NONE).family().id());
        });

        String list = rotor(null, "consent", "list", "--user", "alice").ok().out();
        assertThat(list.lines()).hasSize(2);
        assertThat(list.lines().skip(1)).singleElement().asString().startsWith("partner ").endsWith("  openid profile");
        String json = rotor(null, "consent", "list", "--user", "alice", "--json").ok().out();
        List<Map<String, Object>> parsed = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json,
                new com.fasterxml.jackson.core.type.TypeReference<List<Map<String, Object>>>() {});
        assertThat(parsed).singleElement().satisfies(c -> assertThat(c).containsEntry("client_id", "partner").containsEntry("scope", "openid profile")
                .containsEntry("scopes", List.of("openid", "profile")).containsKey("granted_at"));

        assertThat(rotor(null, "consent", "withdraw", "--user", "alice", "--client", "partner").ok().out())
                .contains("withdrew the consent of alice for partner");
        Run again = rotor(null, "consent", "withdraw", "--user", "alice", "--client", "partner").refused("alice has no consent for partner: nothing withdrawn");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(rotor(null, "consent", "withdraw", "--user", "alice", "--client", "web").refused("nothing withdrawn").exit())
                .as("a first-party client without consent: its sessions stay").isEqualTo(1);
        assertThat(rotor(null, "consent", "withdraw", "--user", "nobody", "--client", "partner").refused("no user nobody").exit()).as("a command line that is right, refused: 1").isEqualTo(1);
        rotor(null, "consent", "withdraw", "--user", "alice").refused("--client");
        assertThat(rotor(null, "consent", "list", "--user", "alice", "--json").ok().out().strip()).isEqualTo("[]");

        inProcess(rotor -> {
            assertThat(rotor.sessions().find(families.get(0)).orElseThrow().revokeReason()).isEqualTo("consent_withdrawn");
            assertThat(rotor.sessions().isActive(rotor.sessions().find(families.get(1)).orElseThrow())).isTrue();
            assertThat(rotor.consents().find(user(rotor, "bob").id(), "partner")).as("bob's consent is his").isPresent();
            return null;
        });
        String audit = rotor(null, "audit", "tail", "-n", "50").ok().out();
        assertThat(audit.lines().filter(l -> l.contains("consent.withdrawn"))).singleElement().asString().contains("partner");
        assertNoSecretWasEchoed();
    }

    @Test
    void auditTailAndSessionsShowPrintWhatClientsChoseEscaped() throws Exception {
        // A username sent to /auth/login with a newline printed a forged audit line; ESC, OSC and BEL reached the terminal.
        String session = HostileValues.seed(dir);

        String audit = rotor(null, "audit", "tail").ok().out();
        HostileValues.assertEscaped(audit);
        assertThat(audit.lines()).as("one line per event").allMatch(l -> l.matches("\\d+  .*"));
        HostileValues.assertEscaped(rotor(null, "sessions", "show", session).ok().out());
    }

    @Test
    void aMissingMasterKeyBesideSealedKeysStopsTheCommandSayingWhatToDo() throws IOException {
        RotorConfig config = RotorConfig.load(Map.of(Setting.DATA_DIR, dir.toString()), Map.of(), null);
        try (Rotor rotor = Rotor.open(config, Clock.systemUTC(), null)) {
            rotor.keys().start(); // the first signing keys, sealed under the master key file it creates
        }
        Path key = dir.resolve("master.key");
        Files.delete(key);

        Run refused = rotorWith(Map.of("ROTOR_MASTER_KEY", ""), null, "user", "list").refused("master key file " + key + " is missing");
        assertThat(refused.exit()).as("the command was right; the key is lost").isEqualTo(1);
        assertThat(refused.err()).contains("Restore master.key", "set ROTOR_MASTER_KEY");
        assertThat(key).as("no new key beside the sealed ones").doesNotExist();
    }

    @Test
    void dbBackupCopiesTheDatabaseWhileTheServerWritesAndNothingIsLeftForOthersToRead() throws Exception {
        Path data = dir.resolve("data"); // made by the server, under umask 022
        Path backup = dir.resolve("backup.db");
        Map<String, String> onData = Map.of("ROTOR_DATA_DIR", data.toString());
        int port = freePort();
        Process server = launch(Map.of("ROTOR_DATA_DIR", data.toString(), "ROTOR_PORT", Integer.toString(port)), "serve");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger rotations = new AtomicInteger();
        Thread writes = null;
        Sessions.Started before;
        try {
            waitReady(port);
            before = inProcess(data, rotor -> {
                String alice = rotor.accounts().register("alice", null, null, PASSWORD).id();
                rotor.clientStore().add(new Client("native", Client.Type.PUBLIC, null, List.of(), Set.of("password", "refresh_token"), Set.of(),
                        true, "openid", Instant.now(), Set.of()));
                return rotor.sessions().start(alice, "native", "openid", List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT,
                        RequestInfo.NONE);
            });
            writes = Thread.ofPlatform().start(() -> rotateUntil(stop, port, rotations));
            while (rotations.get() < 5) Thread.sleep(20);

            int beforeBackup = rotations.get();
            Run backedUp = rotorWith(onData, null, "db", "backup", backup.toString()).ok();
            assertThat(backedUp.out()).contains("backed up the database to " + backup);
            assertThat(rotations.get()).as("the server kept rotating while the backup ran").isGreaterThan(beforeBackup);

            assertThat(permissions(data)).isEqualTo("rwx------");
            try (var files = Files.list(data)) {
                assertThat(files.map(f -> f.getFileName() + " " + permissions(f)).toList())
                        .containsExactlyInAnyOrder("rotor.db rw-------", "rotor.db-wal rw-------", "rotor.db-shm rw-------");
            }
            assertThat(permissions(backup)).isEqualTo("rw-------");

            byte[] copy = Files.readAllBytes(backup);
            Run again = rotorWith(onData, null, "db", "backup", backup.toString());
            assertThat(again.exit()).isEqualTo(1);
            assertThat(again.err()).contains(backup + " already exists", "never overwrites");
            assertThat(Files.readAllBytes(backup)).isEqualTo(copy);
        } finally {
            stop.set(true);
            if (writes != null) writes.join();
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) server.destroyForcibly();
        }

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + backup); Statement st = c.createStatement()) {
            assertThat(single(st, "PRAGMA integrity_check")).isEqualTo("ok");
            assertThat(single(st, "SELECT username FROM users")).isEqualTo("alice");
            assertThat(single(st, "SELECT count(*) FROM sessions WHERE id = '" + before.family().id() + "'")).isEqualTo("1");
            assertThat(Integer.parseInt(single(st, "SELECT count(*) FROM refresh_token_uses"))).isGreaterThan(5);
        }
        // Restored, it serves: its signing keys open under the same master key, and the session from before the backup refreshes.
        RotorConfig restored = RotorConfig.load(Map.of(Setting.DATA_DIR, data.toString(), Setting.DB, backup.toString(), Setting.PORT, "0"),
                Map.of(), null);
        try (Rotor rotor = Rotor.open(restored, Clock.systemUTC(), TestServer.MASTER_KEY)) {
            int restoredPort = rotor.start();
            HttpResponse<String> r = token(HttpClient.newHttpClient(), restoredPort,
                    "grant_type=refresh_token&client_id=native&refresh_token=" + before.refreshToken());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(Jsons.parse(r.body())).containsKey("access_token");
        }
    }

    @Test
    void aBadSettingStopsTheCommandNamingIt() {
        Run bad = rotor(null, "serve", "--access-ttl", "banana");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("ROTOR_ACCESS_TTL", "--access-ttl", "access_ttl", "banana");
        // A command that does not take the flag still reads the setting from the environment.
        Run fromEnv = rotorWith(Map.of("ROTOR_ACCESS_TTL", "banana"), null, "user", "list");
        assertThat(fromEnv.exit()).isEqualTo(2);
        assertThat(fromEnv.err()).contains("ROTOR_ACCESS_TTL", "banana");
        assertThat(rotor(null, "user", "list", "--no-such-flag").exit()).isEqualTo(2);
    }

    @Test
    void eachCommandTakesTheFlagsOfTheSettingsItReadsAndServeTakesThemAll() {
        List<String> database = List.of("--config", "--data-dir", "--db", "--db-pool", "--master-key-file");
        List<String> serverOnly = List.of("--port", "--bind", "--issuer", "--audience", "--cookie-secure", "--session-ttl", "--grace",
                "--allowed-origins", "--trusted-proxies", "--key-rotation", "--hash-concurrency");
        String serve = inProcessCommand(List.of("serve", "--help")).out();
        for (Setting s : Setting.values()) assertThat(serve).contains(s.flag() + "=");
        for (String command : List.of("user list", "user disable", "client add", "client remove", "sessions revoke", "audit tail",
                "keys list", "db backup", "user add", "keys rotate", "sessions list")) {
            String usage = inProcessCommand(List.of((command + " --help").split(" "))).out();
            for (String flag : database) assertThat(usage).as("rotor %s --help", command).contains(flag + "=");
            for (String flag : serverOnly) assertThat(usage).as("rotor %s --help", command).doesNotContain(flag + "=");
        }
        assertThat(inProcessCommand(List.of("user", "add", "--help")).out()).contains("--argon2-memory-kib=").doesNotContain("--access-ttl=");
        assertThat(inProcessCommand(List.of("keys", "rotate", "--help")).out()).contains("--signing-alg=", "--access-ttl=");
        assertThat(inProcessCommand(List.of("user", "list", "--help")).out()).doesNotContain("--argon2", "--signing-alg", "--idle-ttl");

        Run serverFlag = rotor(null, "user", "list", "--port", "9000");
        assertThat(serverFlag.exit()).isEqualTo(2);
        assertThat(serverFlag.err()).contains("Unknown option", "'--port'");
        // The database flags work where they apply.
        Path elsewhere = dir.resolve("elsewhere");
        rotor(PASSWORD + "\n", "user", "add", "zoe", "--password-stdin", "--data-dir", elsewhere.toString(), "--argon2-iterations", "3").ok();
        assertThat(rotor(null, "user", "list", "--data-dir", elsewhere.toString()).ok().out()).contains("zoe");
        assertThat(rotor(null, "user", "list").ok().out()).doesNotContain("zoe");
    }

    @Test
    void everyCommandAnswersHelpWithItsUsageOnStandardOutput() {
        List<String> commands = commandPaths(RotorCommand.commandLine(config -> {
            throw new AssertionError("listing commands opens no database");
        }), "");
        assertThat(commands).as("the walk found the tree").contains("serve", "user add", "client rotate-secret", "db copy", "audit tail");
        for (String command : commands) {
            for (String help : List.of("-h", "--help")) {
                List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
                args.add(help);
                Run r = inProcessCommand(args);
                assertThat(r.exit()).as("rotor %s; stderr: %s", String.join(" ", args), r.err()).isZero();
                assertThat(r.err()).as("rotor %s", String.join(" ", args)).isEmpty();
                assertThat(r.out()).as("rotor %s", String.join(" ", args)).startsWith(("Usage: rotor " + command).trim());
            }
        }
        // As an operator runs them, each in its own JVM: serve's help starts no server.
        assertThat(rotor(null, "serve", "--help").ok().out()).startsWith("Usage: rotor serve");
        assertThat(rotor(null, "user", "add", "--help").ok().out()).startsWith("Usage: rotor user add");
        assertThat(rotor(null, "--version").ok().out()).startsWith("rotor ");
    }

    @Test
    void aWrongCommandLineExitsTwoAndACommandThatFailsExitsOneEachSayingWhy() throws IOException {
        rotor(PASSWORD + "\n", "user", "add", "alice", "--password-stdin").ok();
        rotor(null, "client", "add", "cli", "--type", "public").ok();
        record Case(int exit, String because, List<String> args) {}
        List<Case> cases = List.of(
                new Case(2, "Unknown option: '--bogus'", List.of("user", "list", "--bogus")),
                new Case(2, "Missing required parameter: 'USERNAME'", List.of("user", "disable")),
                new Case(2, "Missing required option: '--type", List.of("client", "add", "x")),
                new Case(2, "--type must be public or confidential", List.of("client", "add", "x", "--type", "secret")),
                new Case(2, "not a duration: 'soon'", List.of("client", "rotate-secret", "cli", "--overlap", "soon")),
                new Case(2, "Invalid value for option '--lines'", List.of("audit", "tail", "-n", "many")),
                new Case(2, "mutually exclusive", List.of("sessions", "revoke", "--user", "alice", "--session", "x")),
                new Case(2, "exclude each other", List.of("user", "add", "bob", "--password-stdin", "--no-password")),
                new Case(1, "alice", List.of("user", "add", "alice", "--no-password")),
                new Case(1, "no user nobody", List.of("user", "disable", "nobody")),
                new Case(1, "no client nope", List.of("client", "show", "nope")),
                new Case(1, "nope", List.of("client", "remove", "nope")),
                new Case(1, "nope", List.of("client", "rotate-secret", "nope")),
                new Case(1, "no session nope", List.of("sessions", "show", "nope")),
                new Case(1, "nope", List.of("keys", "retire", "nope")));
        for (Case c : cases) {
            Run r = inProcessCommand(withDataDir(c.args()));
            assertThat(r.exit()).as("rotor %s; stderr: %s", String.join(" ", c.args()), r.err()).isEqualTo(c.exit());
            assertThat(r.err()).as("rotor %s", String.join(" ", c.args())).startsWith("rotor: ").contains(c.because());
            assertThat(r.out()).as("rotor %s: messages go to stderr", String.join(" ", c.args())).isEmpty();
            assertThat(r.err()).doesNotContain("Exception", "\tat ");
        }
        Run group = inProcessCommand(List.of("user"));
        assertThat(group.exit()).isEqualTo(2);
        assertThat(group.err()).startsWith("rotor: Missing required subcommand");
        // A database that cannot be opened names the settings that choose it.
        Files.writeString(dir.resolve("a-file"), "");
        Run sqlite = rotor(null, "user", "list", "--data-dir", dir.resolve("a-file").resolve("data").toString());
        assertThat(sqlite.exit()).isEqualTo(1);
        assertThat(sqlite.err()).startsWith("rotor: cannot open database").contains("set ROTOR_DATA_DIR or --data-dir, or ROTOR_DB or --db")
                .doesNotContain("Exception", "\tat ");
        Run postgres = rotorWith(Map.of("ROTOR_DB", "postgresql://postgres@127.0.0.1:1/rotor"), null, "user", "list");
        assertThat(postgres.exit()).isEqualTo(1);
        assertThat(postgres.err()).startsWith("rotor: cannot open database postgresql://postgres@127.0.0.1:1/rotor").endsWith("set ROTOR_DB or --db\n")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void aServerWhosePortIsTakenSaysWhichSettingToChangeAndExitsOne() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            for (Run r : List.of(rotorWith(Map.of("ROTOR_PORT", Integer.toString(port)), null, "serve"),
                    rotor(null, "serve", "--port", Integer.toString(port)))) {
                assertThat(r.exit()).as(r.err()).isEqualTo(1);
                assertThat(r.err()).contains("rotor: port " + port + " is in use: set ROTOR_PORT or --port\n");
                assertThat(r.err()).doesNotContain("Exception", "\tat ", "java.");
            }
        }
    }

    @Test
    void listsAndAddsPrintJsonThatParsesBackWithUsernamesAndNoSecret() {
        Map<String, Object> added = Jsons.parse(rotor(PASSWORD + "\n", "user", "add", "alice", "--email", "alice@example.test", "--name",
                "Alice \u00c5berg", "--password-stdin", "--json").ok().out());
        assertThat(added).containsEntry("username", "alice").containsEntry("email", "alice@example.test").containsEntry("name", "Alice \u00c5berg")
                .containsEntry("disabled", false).containsEntry("has_password", true).containsKeys("user_id", "created_at");
        rotor(null, "user", "add", "bob", "--no-password").ok();
        List<Map<String, Object>> users = Jsons.parseArray(rotor(null, "user", "list", "--json").ok().out());
        assertThat(users).extracting(u -> u.get("username")).containsExactlyInAnyOrder("alice", "bob");
        assertThat(users).filteredOn(u -> u.get("username").equals("bob")).singleElement().satisfies(u -> assertThat(u).containsEntry("has_password", false));
        assertThat(users).allSatisfy(u -> assertThat(u.keySet()).noneMatch(k -> k.contains("hash")));

        rotor(null, "client", "add", "cli", "--type", "public").ok();
        assertThat(Jsons.parseArray(rotor(null, "sessions", "list", "--json").ok().out())).as("no session yet").isEmpty();
        Sessions.Started started = inProcess(rotor -> rotor.sessions().start(user(rotor, "alice").id(), "cli", "openid", List.of("pwd"), "1",
                RefreshTokenFamily.Channel.TOKEN_ENDPOINT, new RequestInfo("192.0.2.7", "test")));
        Run sessions = rotor(null, "sessions", "list", "--json").ok();
        assertThat(sessions.out()).doesNotContain(started.refreshToken());
        assertThat(Jsons.parseArray(sessions.out())).singleElement().satisfies(s -> assertThat(s)
                .containsEntry("session_id", started.family().id()).containsEntry("user_id", added.get("user_id")).containsEntry("username", "alice")
                .containsEntry("client_id", "cli").containsEntry("last_ip", "192.0.2.7"));
        assertThat(Jsons.parseArray(rotor(null, "sessions", "list", "--user", "alice", "--json").ok().out())).hasSize(1);

        assertThat(Jsons.parseArray(rotor(null, "client", "list", "--json").ok().out())).extracting(c -> c.get("client_id")).containsExactly("cli");
        assertThat(Jsons.parse(rotor(null, "client", "show", "cli", "--json").ok().out())).containsEntry("client_type", "public");
        assertNoSecretWasEchoed();
    }

    @Test
    void clientShowPrintsEverySettingAndNoSecret() {
        String secret = rotor(null, "client", "add", "partner", "--type", "confidential", "--redirect-uri", "https://partner.example.test/cb",
                "--claim", "email", "--post-logout-redirect-uri", "https://partner.example.test/bye").ok().out().strip();
        String show = rotor(null, "client", "show", "partner").ok().out();
        assertThat(show).contains("id:                        partner", "type:                      confidential", "first-party:               no",
                "consent:                   required", "grants:                    authorization_code refresh_token", "claims:                    email",
                "redirect URIs:             https://partner.example.test/cb", "post-logout redirect URIs: https://partner.example.test/bye")
                .doesNotContain(secret).doesNotContain("previous secret");
        Map<String, Object> json = Jsons.parse(rotor(null, "client", "show", "partner", "--json").ok().out());
        assertThat(json).containsEntry("client_id", "partner").containsEntry("redirect_uris", List.of("https://partner.example.test/cb"))
                .doesNotContainKeys("client_secret", "secret_hash");
        assertThat(rotor(null, "client", "show", "nobody").refused("no client nobody").exit()).isEqualTo(1);
    }

    @Test
    void rotateSecretKeepsTheOldSecretForTheOverlapAndNotAfter() {
        String first = rotor(null, "client", "add", "backend", "--type", "confidential", "--grant", "client_credentials").ok().out().strip();
        Instant before = Instant.now();
        Run rotated = rotor(null, "client", "rotate-secret", "backend", "--overlap", "1h").ok();
        assertThat(rotated.out()).as("the new secret alone on stdout").matches("\\S{32,}\n");
        String second = rotated.out().strip();
        assertThat(second).isNotEqualTo(first);
        assertThat(rotated.err()).contains("the old secret works until");
        assertThat(rotor(null, "client", "show", "backend").ok().out()).contains("previous secret accepted until: ");

        inProcess(rotor -> {
            Client c = rotor.clientStore().find("backend").orElseThrow();
            Instant until = c.previousSecretExpiresAt();
            assertThat(until).isBetween(before.plus(Duration.ofHours(1)).minusSeconds(1), Instant.now().plus(Duration.ofHours(1)));
            assertThat(registryAt(rotor, until.minusSeconds(1)).secretMatches(c, first)).as("old secret during the overlap").isTrue();
            assertThat(registryAt(rotor, until).secretMatches(c, first)).as("old secret when the overlap ends").isFalse();
            assertThat(registryAt(rotor, until.plus(Duration.ofDays(1))).secretMatches(c, first)).isFalse();
            for (Instant t : List.of(until.minusSeconds(1), until.plus(Duration.ofDays(1)))) {
                assertThat(registryAt(rotor, t).secretMatches(c, second)).as("new secret at %s", t).isTrue();
            }
            return null;
        });

        // A second rotation with --overlap 0: the secret it replaces stops at once, and the first one with it.
        String third = rotor(null, "client", "rotate-secret", "backend", "--overlap", "0").ok().out().strip();
        inProcess(rotor -> {
            Client c = rotor.clientStore().find("backend").orElseThrow();
            ClientRegistry now = registryAt(rotor, Instant.now());
            assertThat(now.secretMatches(c, third)).isTrue();
            assertThat(now.secretMatches(c, second)).isFalse();
            assertThat(now.secretMatches(c, first)).isFalse();
            return null;
        });
        rotor(null, "client", "add", "spa", "--type", "public").ok();
        assertThat(rotor(null, "client", "rotate-secret", "spa").refused("spa").exit()).isEqualTo(1);
        assertThat(rotor(null, "client", "rotate-secret", "backend", "--overlap", "banana").refused("not a duration").exit()).isEqualTo(2);
        assertNoSecretWasEchoed();
    }

    @Test
    void removeIsRefusedWhileUsersAreSignedInUnlessForcedAndForceTakesSessionsCodesAndConsents() {
        rotor(PASSWORD + "\n", "user", "add", "alice", "--password-stdin").ok();
        rotor(null, "client", "add", "cli", "--type", "public").ok();
        rotor(null, "client", "add", "other", "--type", "public").ok();
        String kept = inProcess(rotor -> {
            String alice = user(rotor, "alice").id();
            rotor.sessions().start(alice, "cli", "openid", List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT, RequestInfo.NONE);
            rotor.database().write(tx -> {
                tx.update("INSERT INTO sso_sessions (id, secret_hash, user_id, auth_time, amr, acr, created_at, expires_at, last_seen_at) "
                        + "VALUES ('sso-1', 'secret-hash-1', ?, 1, 'pwd', '1', 1, 4102444800000, 1)", alice);
                for (String client : List.of("cli", "other")) {
                    tx.update("INSERT INTO authorization_codes (hash, client_id, user_id, redirect_uri, scope, sso_session_id, auth_time, amr, acr, "
                            + "created_at, expires_at) VALUES (?, ?, ?, 'https://app.example.test/cb', 'openid', 'sso-1', 1, 'pwd', '1', 1, 4102444800000)",
                            "code-" + client, client, alice);
                    tx.update("INSERT INTO consents (user_id, client_id, scope, granted_at) VALUES (?, ?, 'openid', 1)", alice, client);
                }
                return null;
            });
            return rotor.sessions().start(alice, "other", "openid", List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT,
                    RequestInfo.NONE).family().id();
        });

        Run refused = rotor(null, "client", "remove", "cli").refused("client cli has 1 live session(s)");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("--force");
        assertThat(rowsOf("cli")).as("nothing removed").isEqualTo(List.of(1L, 1L, 1L));
        assertThat(rotor(null, "client", "show", "cli").ok().out()).contains("id:                        cli");

        assertThat(rotor(null, "client", "remove", "cli", "--force").ok().out()).contains("removed client cli and its 1 session(s)");
        assertThat(rowsOf("cli")).as("sessions, codes, consents of cli").isEqualTo(List.of(0L, 0L, 0L));
        assertThat(rowsOf("other")).as("another client's").isEqualTo(List.of(1L, 1L, 1L));
        assertThat(rotor(null, "client", "show", "cli").refused("no client cli").exit()).isEqualTo(1);
        assertThat(rotor(null, "client", "list").ok().out()).doesNotContain("cli ").contains("other");
        inProcess(rotor -> assertThat(rotor.sessions().find(kept)).isPresent());
        assertThat(rotor(null, "audit", "tail").ok().out()).contains("client.removed");

        rotor(null, "client", "add", "idle", "--type", "public").ok();
        assertThat(rotor(null, "client", "remove", "idle").ok().out()).as("no session: no --force needed").contains("removed client idle and its 0 session(s)");
        assertThat(rotor(null, "client", "remove", "idle").refused("idle").exit()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- helpers

    private final List<Run> runs = new ArrayList<>();

    /** Every command below {@code line}, as the words an operator types after {@code rotor} (the top one as ""). */
    private static List<String> commandPaths(CommandLine line, String path) {
        List<String> paths = new ArrayList<>(List.of(path));
        line.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) paths.addAll(commandPaths(sub, (path + " " + name).trim()));
        });
        return paths;
    }

    private static ClientRegistry registryAt(Rotor rotor, Instant now) {
        return new ClientRegistry(rotor.clientStore(), Clock.fixed(now, ZoneOffset.UTC), Set.of());
    }

    /** Sessions, authorization codes and consents of {@code clientId}, as rows in the database. */
    private List<Long> rowsOf(String clientId) {
        return inProcess(rotor -> rotor.database().read(tx -> {
            List<Long> counts = new ArrayList<>();
            for (String table : List.of("sessions", "authorization_codes", "consents")) {
                var st = tx.prepare("SELECT count(*) FROM " + table + " WHERE client_id = ?"); // the transaction closes it
                st.setString(1, clientId);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    counts.add(rs.getLong(1));
                }
            }
            return counts;
        }));
    }

    /** {@code args} on this test's data directory, for {@link #inProcessCommand}. */
    private List<String> withDataDir(List<String> args) {
        List<String> line = new ArrayList<>(args);
        line.addAll(List.of("--data-dir", dir.toString()));
        return line;
    }

    /** Runs {@code rotor args...} in this JVM (the same command line and handlers as Main, no database unless the command opens it). */
    private Run inProcessCommand(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = RotorCommand.commandLine(config -> Rotor.open(config, Clock.systemUTC(), TestServer.MASTER_KEY))
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    /** Runs {@code rotor args...} in a new JVM on this test's data directory, with {@code stdin} (null: none). */
    private Run rotor(String stdin, String... args) {
        return rotorWith(Map.of(), stdin, args);
    }

    /** As {@link #rotor(String, String...)}, with the variables in {@code env} set (an empty value removes one). */
    private Run rotorWith(Map<String, String> env, String stdin, String... args) {
        try {
            Path out = Files.createTempFile(dir, "out", ".txt");
            Path err = Files.createTempFile(dir, "err", ".txt");
            Process p = command(env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("rotor " + String.join(" ", args) + " did not finish in 60 s");
            }
            Run run = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
            runs.add(run);
            return run;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code rotor args...} (a server) and returns at once; its output goes to a file in the test's directory. */
    private Process launch(Map<String, String> env, String... args) throws IOException {
        return command(env, args).redirectErrorStream(true).redirectOutput(Files.createTempFile(dir, "server", ".log").toFile()).start();
    }

    /**
     * The JVM for {@code rotor args...}, under umask 022 as a JVM started without the launcher (which sets 077) would
     * run, on this test's data directory and master key unless {@code env} says otherwise.
     */
    private ProcessBuilder command(Map<String, String> env, String... args) {
        // As the launcher runs it (-Djdk.console=java.base: no terminal when stdin is a pipe, on every JDK), plus
        // flags that only make a short-lived JVM start faster.
        List<String> command = new ArrayList<>(List.of("sh", "-c", "umask 022; exec \"$0\" \"$@\"",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Djdk.console=java.base", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "dev.rotor.app.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("ROTOR_"));
        pb.environment().put("ROTOR_DATA_DIR", dir.toString());
        pb.environment().put("ROTOR_MASTER_KEY", TestServer.MASTER_KEY);
        env.forEach((k, v) -> {
            if (v.isEmpty()) pb.environment().remove(k);
            else pb.environment().put(k, v);
        });
        return pb;
    }

    /** Signs alice in with the password grant and refreshes, again and again, until {@code stop}; counts rotations. */
    private static void rotateUntil(AtomicBoolean stop, int port, AtomicInteger rotations) {
        HttpClient http = HttpClient.newHttpClient();
        try {
            String refresh = null;
            while (!stop.get()) {
                HttpResponse<String> r = token(http, port, refresh == null
                        ? "grant_type=password&client_id=native&username=alice&password=" + PASSWORD.replace(' ', '+')
                        : "grant_type=refresh_token&client_id=native&refresh_token=" + refresh);
                if (r.statusCode() != 200) throw new AssertionError(r.statusCode() + " " + r.body());
                if (refresh != null) rotations.incrementAndGet();
                refresh = (String) Jsons.parse(r.body()).get("refresh_token");
                Thread.sleep(10); // steady writes, leaving the two cores of a CI box to the commands under test
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> token(HttpClient http, int port, String form) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void waitReady(int port) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the server did not become ready in 60 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String permissions(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }

    private void assertNoSecretWasEchoed() {
        for (Run r : runs) assertThat(r.all()).doesNotContain(PASSWORD);
    }

    private <T> T inProcess(java.util.function.Function<Rotor, T> work) {
        return inProcess(dir, work);
    }

    private static <T> T inProcess(Path dataDir, java.util.function.Function<Rotor, T> work) {
        RotorConfig config = RotorConfig.load(Map.of(Setting.DATA_DIR, dataDir.toString()), Map.of(), null);
        try (Rotor rotor = Rotor.open(config, Clock.systemUTC(), TestServer.MASTER_KEY)) {
            return work.apply(rotor);
        }
    }

    private static User user(Rotor rotor, String username) {
        return rotor.users().findByUsername(username).orElseThrow();
    }
}
