package dev.rotor.app;

import dev.rotor.outbox.HttpPost;
import dev.rotor.outbox.OutboxDeliverer;
import dev.rotor.account.Accounts;
import dev.rotor.account.PasswordHasher;
import dev.rotor.account.UserStore;
import dev.rotor.audit.AuditLog;
import dev.rotor.cli.Services;
import dev.rotor.config.DatabaseConfig;
import dev.rotor.config.RotorConfig;
import dev.rotor.config.Setting;
import dev.rotor.crypto.CryptoProviders;
import dev.rotor.crypto.MasterKey;
import dev.rotor.crypto.Sealer;
import dev.rotor.crypto.ServerSecrets;
import dev.rotor.http.HttpApp;
import dev.rotor.oauth.BrowserFlow;
import dev.rotor.oauth.ClientAuthentication;
import dev.rotor.oauth.ClientCredentialsGrant;
import dev.rotor.oauth.ClientRegistry;
import dev.rotor.oauth.ClientStore;
import dev.rotor.oauth.registration.ClientRegistration;
import dev.rotor.oauth.Issuance;
import dev.rotor.oauth.MfaOtpGrant;
import dev.rotor.oauth.PasswordGrant;
import dev.rotor.oauth.PasswordSignIn;
import dev.rotor.oauth.RefreshTokenGrant;
import dev.rotor.oauth.TokenEndpoint;
import dev.rotor.oauth.UserInfo;
import dev.rotor.oauth.authorize.AuthorizationCodeGrant;
import dev.rotor.oauth.authorize.AuthorizationCodes;
import dev.rotor.oauth.authorize.AuthorizationRequests;
import dev.rotor.oauth.authorize.AuthorizeFlow;
import dev.rotor.oauth.authorize.Consents;
import dev.rotor.oauth.authorize.Interactions;
import dev.rotor.logout.EndSession;
import dev.rotor.logout.LogoutDeliverer;
import dev.rotor.notify.LogNotifier;
import dev.rotor.notify.NoticeDeliverer;
import dev.rotor.notify.Notifier;
import dev.rotor.notify.WebhookNotifier;
import dev.rotor.logout.LogoutNotifier;
import dev.rotor.logout.SignOut;
import dev.rotor.mfa.TotpFactors;
import dev.rotor.signin.MfaTokens;
import dev.rotor.signin.RiskRefreshCheck;
import dev.rotor.signin.SignIn;
import dev.rotor.throttle.Throttle;
import dev.rotor.logout.LogoutOutbox;
import dev.rotor.mfa.TotpFactors;
import dev.rotor.selfservice.AccountPage;
import dev.rotor.sso.SsoSessions;
import dev.rotor.store.JdbcLogoutOutbox;
import dev.rotor.store.JdbcNoticeOutbox;
import dev.rotor.store.JdbcMfaStore;
import dev.rotor.token.LogoutTokens;
import dev.rotor.store.JdbcAuthorizationCodeStore;
import dev.rotor.store.JdbcConsentStore;
import dev.rotor.store.JdbcSsoSessionStore;
import dev.rotor.store.JdbcThrottleStore;
import dev.rotor.token.IdTokens;
import dev.rotor.oauth.TokenIntrospection;
import dev.rotor.oauth.TokenLookup;
import dev.rotor.oauth.TokenRevocation;
import dev.rotor.session.RefreshTokenCodec;
import dev.rotor.session.Sessions;
import dev.rotor.store.Database;
import dev.rotor.store.DatabaseCopy;
import dev.rotor.store.JdbcAuditLog;
import dev.rotor.store.JdbcClientStore;
import dev.rotor.store.JdbcRefreshTokenStore;
import dev.rotor.store.JdbcSecretStore;
import dev.rotor.store.JdbcSigningKeyStore;
import dev.rotor.store.JdbcUserStore;
import dev.rotor.store.JdbcRiskHistoryStore;
import dev.rotor.risk.RiskEngine;
import dev.rotor.risk.RiskPolicy;
import dev.rotor.risk.source.DenyList;
import dev.rotor.risk.source.GeoIp;
import dev.rotor.risk.source.MaxMindGeoIp;
import dev.rotor.store.PostgresDatabase;
import dev.rotor.store.SqliteDatabase;
import dev.rotor.store.StoreException;
import dev.rotor.token.AccessTokens;
import dev.rotor.token.KeyRing;
import io.javalin.Javalin;
import io.javalin.util.JavalinException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: the only code that constructs adapters and wires the core to them. */
public final class Rotor implements Services {
    private static final Logger LOG = LoggerFactory.getLogger(Rotor.class);

    private final RotorConfig config;
    private final Clock clock;
    private final Database db;
    private final UserStore users;
    private final ClientStore clientStore;
    private final ClientRegistry clients;
    private final ClientRegistration registration;
    private final AuditLog audit;
    private final Accounts accounts;
    private final Sessions sessions;
    private final KeyRing keys;
    private final AccessTokens accessTokens;
    private final SsoSessions sso;
    private final Consents consents;
    private final AuthorizationCodes codes;
    private final String cryptoProvider;
    private final Sealer interactionSealer;
    /** The master key's sealer: signing keys, server secrets and users' TOTP secrets. */
    private final Sealer masterSealer;
    private final byte[] pageCsrfKey;
    private final SecureRandom random = new SecureRandom();
    private final LogoutOutbox logoutOutbox;
    private final Throttle throttle;
    private final SignOut signOut;
    private final TotpFactors totpFactors;
    private final MfaTokens mfaTokens;
    private OutboxDeliverer.Settings logoutDelivery = OutboxDeliverer.Settings.DEFAULT;
    private LogoutDeliverer deliverer;
    private OutboxDeliverer.Settings noticeDelivery = OutboxDeliverer.Settings.DEFAULT;
    private NoticeDeliverer notices;
    private ScheduledExecutorService housekeeping;
    private Javalin http;
    private final GeoIp geoIp;
    private final DenyList denyList;
    private final RiskEngine risk;

    private Rotor(RotorConfig config, Clock clock, String masterKeyFromEnv) {
        this.config = config;
        this.clock = clock;
        this.cryptoProvider = CryptoProviders.install();
        // Before the database: a missing GeoIP database or a bad deny-list line stops start-up naming the setting.
        this.geoIp = config.risk().geoIpDb() == null ? GeoIp.NONE : MaxMindGeoIp.open(config.risk().geoIpDb());
        try {
            this.denyList = config.risk().denyIps() == null ? DenyList.empty() : DenyList.load(config.risk().denyIps());
            this.db = openDatabase(config.database());
        } catch (RuntimeException e) {
            closeGeoIp(); // a CLI command in a long-lived JVM (tests) must not keep the file mapped
            throw e;
        }
        this.risk = new RiskEngine(RiskPolicy.of(config.risk()), geoIp, denyList, new JdbcRiskHistoryStore(db));
        this.users = new JdbcUserStore(db);
        this.clientStore = new JdbcClientStore(db);
        this.clients = new ClientRegistry(clientStore, clock, config.allowedOrigins());
        this.audit = new JdbcAuditLog(db);
        this.registration = new ClientRegistration(clientStore, audit, clock, random);
        this.sso = new SsoSessions(new JdbcSsoSessionStore(db), audit, clock, random, config.sessionTtl());
        LogoutNotifier notifier = new LogoutNotifier(clients, sso);
        try {
            JdbcSigningKeyStore signingKeys = new JdbcSigningKeyStore(db);
            JdbcSecretStore secrets = new JdbcSecretStore(db);
            boolean macKeyExists = secrets.find(ServerSecrets.REFRESH_TOKEN_MAC).isPresent();
            // Keys in the database were sealed under some master key: a missing key file is a lost key, never replaced.
            Sealer sealer = new Sealer(MasterKey.load(masterKeyFromEnv, config.masterKeyFile(), random,
                    macKeyExists || !signingKeys.list().isEmpty()), random);
            this.masterSealer = sealer;
            this.keys = new KeyRing(signingKeys, sealer, clock, config.signingAlg(), config.accessTtl(), config.keyRotation());
            // A database of an earlier version has signing keys but no MAC key yet: a wrong master key must not seal one.
            if (!macKeyExists) keys.checkMasterKey();
            // The refresh-token MAC key: made by the first node to start, sealed under the master key, shared by all.
            byte[] macKey = new ServerSecrets(secrets, sealer, random, clock).getOrCreate(ServerSecrets.REFRESH_TOKEN_MAC);
            ServerSecrets serverSecrets = new ServerSecrets(secrets, sealer, random, clock);
            this.interactionSealer = new Sealer(serverSecrets.getOrCreate(ServerSecrets.INTERACTION_SEAL), random);
            this.pageCsrfKey = serverSecrets.getOrCreate(ServerSecrets.PAGE_CSRF);
            this.totpFactors = new TotpFactors(new JdbcMfaStore(db), users, masterSealer, audit, clock, random, config.issuer());
            this.mfaTokens = new MfaTokens(interactionSealer, clock);
            // Every refresh that would hand out tokens is asked of the risk policy first.
            this.sessions = new Sessions(new JdbcRefreshTokenStore(db), new RefreshTokenCodec(macKey), clock, config.sessionTtl(),
                    config.idleTtl(), config.grace(), notifier, new RiskRefreshCheck(risk, totpFactors, mfaTokens, audit, clock));
        } catch (RuntimeException e) {
            db.close(); // nothing else holds it yet
            closeGeoIp();
            throw e;
        }
        PasswordHasher hasher = new PasswordHasher(
                new PasswordHasher.Params(config.argon2MemoryKib(), config.argon2Iterations(), config.argon2Parallelism()),
                config.hashConcurrency(), 10_000, random);
        this.accounts = new Accounts(users, hasher, clock);
        this.accessTokens = new AccessTokens(keys, clock, random, config.issuer(), config.audience(), config.accessTtl());
        this.throttle = new Throttle(new JdbcThrottleStore(db), new Throttle.Policy(config.throttleWindow(),
                config.throttleSourceFailures(), config.throttleAccountFailures(), Duration.ofSeconds(1), config.throttleMaxWait()), clock);
        this.codes = new AuthorizationCodes(new JdbcAuthorizationCodeStore(db), clock, random);
        this.consents = new Consents(new JdbcConsentStore(db), sessions, audit, clock);
        this.logoutOutbox = new JdbcLogoutOutbox(db);
        this.signOut = new SignOut(sso, sessions, notifier, logoutOutbox, clock);
    }

    private static Database openDatabase(DatabaseConfig database) {
        try {
            return Database.open(database);
        } catch (StoreException e) {
            // The message masks any password; an SQLite file lives in the data directory unless ROTOR_DB names it.
            Setting[] change = database.kind() == DatabaseConfig.Kind.SQLITE ? new Setting[] {Setting.DATA_DIR, Setting.DB} : new Setting[] {Setting.DB};
            throw new Services.Unavailable(e.getMessage(), e, change);
        }
    }

    /** Starts the HTTP server; a failure to listen names the port or the address, as the operator gave them. */
    private void listen() {
        try {
            http.start();
        } catch (JavalinException e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            if (!(root instanceof SocketException)) throw e;
            String why = root.getMessage() == null ? "" : root.getMessage();
            if (why.contains("in use")) throw new Services.Unavailable("port " + config.port() + " is in use", e, Setting.PORT);
            if (why.contains("Permission denied")) {
                throw new Services.Unavailable("port " + config.port() + " needs privileges this process does not have (ports below 1024)", e, Setting.PORT);
            }
            throw new Services.Unavailable("cannot listen on " + config.bind() + ":" + config.port() + " (" + why + ")", e, Setting.BIND, Setting.PORT);
        }
    }

    /** Opens the database (migrating it) and builds the core; starts nothing. */
    public static Rotor open(RotorConfig config) {
        return new Rotor(config, Clock.systemUTC(), System.getenv(MasterKey.ENV));
    }

    /** For tests: a fixed master key and clock. */
    public static Rotor open(RotorConfig config, Clock clock, String masterKey) {
        return new Rotor(config, clock, masterKey);
    }

    /** For tests: back-channel logout retries and polling at the pace a test can wait for; call before {@link #start}. */
    public Rotor withLogoutDelivery(OutboxDeliverer.Settings settings) {
        this.logoutDelivery = settings;
        return this;
    }

    /** For tests: security notices retried and polled at the pace a test can wait for; call before {@link #start}. */
    public Rotor withNoticeDelivery(OutboxDeliverer.Settings settings) {
        this.noticeDelivery = settings;
        return this;
    }

    /** Loads (or creates) signing keys, starts housekeeping and the HTTP server; returns the bound port. */
    public int start() {
        keys.start();
        accounts.prepareSignIn(); // before the first request: every sign-in of an unknown user then costs one hash
        Issuance issuance = new Issuance(accessTokens, users);
        // The risk policy decides every password sign-in; a user with a confirmed TOTP is asked for it (see SignIn).
        PasswordSignIn signIn = new PasswordSignIn(new SignIn(accounts, users, throttle, totpFactors, mfaTokens, risk, audit, clock), sessions);
        RefreshTokenGrant refreshGrant = new RefreshTokenGrant(sessions, issuance);
        IdTokens idTokens = new IdTokens(keys, clock, config.issuer());
        AuthorizationCodeGrant codeGrant = new AuthorizationCodeGrant(codes, sessions, sso, issuance, idTokens, config.accessTtl(), consents);
        TokenEndpoint tokenEndpoint = new TokenEndpoint(new ClientAuthentication(clients), List.of(codeGrant, refreshGrant,
                new PasswordGrant(signIn, issuance), new MfaOtpGrant(signIn, issuance, refreshGrant), new ClientCredentialsGrant(issuance)));
        BrowserFlow browserFlow = new BrowserFlow(clients, signIn, sessions, issuance, refreshGrant);
        TokenLookup lookup = new TokenLookup(sessions, accessTokens);
        TokenRevocation revocation = new TokenRevocation(new ClientAuthentication(clients), lookup, sessions, audit, clock);
        TokenIntrospection introspection = new TokenIntrospection(new ClientAuthentication(clients), lookup, sessions, clients, users,
                config.issuer(), clock);
        EndSession endSession = new EndSession(idTokens, clients, signOut);
        AuthorizeFlow authorizeFlow = new AuthorizeFlow(new AuthorizationRequests(clients, config.issuer()), new Interactions(interactionSealer, clock),
                sso, signIn, consents, codes, users, clock);
        AccountPage accountPage = new AccountPage(users, consents, clients, signIn, sso, clock);
        http = HttpApp.create(new HttpApp.Services(config, clock, tokenEndpoint, browserFlow, sessions, clients, accessTokens, keys, db::ready,
                revocation, introspection, authorizeFlow, sso, new UserInfo(issuance), pageCsrfKey, random, endSession, accountPage,
                totpFactors, risk));
        listen();
        denyList.watch(config.risk().denyIpsReload());
        deliverer = new LogoutDeliverer(logoutOutbox, new LogoutTokens(keys, clock, random, config.issuer()), audit, clock, logoutDelivery);
        deliverer.start();
        Notifier notifier = config.notices().webhookUrl() == null ? new LogNotifier()
                : new WebhookNotifier(config.notices().webhookUrl(), config.notices().webhookSecret(), clock, new HttpPost(noticeDelivery.timeout()));
        notices = new NoticeDeliverer(new JdbcNoticeOutbox(db), notifier, audit, clock, noticeDelivery);
        notices.start();
        db.startBackground();
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("rotor-housekeeping").daemon(true).unstarted(r));
        long period = KeyRing.RELOAD.toSeconds();
        housekeeping.scheduleWithFixedDelay(this::housekeep, period, period, TimeUnit.SECONDS);
        LOG.info("Rotor listening on http://{}:{} (issuer {}, database {}, crypto {})", config.bind(), http.port(), config.issuer(),
                config.database(), cryptoProvider);
        LOG.info("Risk signals: GeoIP {}, deny list {}", geoIp instanceof MaxMindGeoIp m ? config.risk().geoIpDb() + " (" + m.databaseType() + ")"
                : "off (ROTOR_GEOIP_DB not set: no country or travel signals)", config.risk().denyIps() == null ? "off"
                : config.risk().denyIps() + " (" + denyList.size() + " networks, checked every " + config.risk().denyIpsReload().toSeconds() + "s)");
        LOG.info("Security notices go to {}", notifier.describe());
        return http.port();
    }

    private void housekeep() {
        try {
            keys.reload();
            sessions.deleteExpired();
            sso.deleteExpired();
            codes.deleteExpired();
            throttle.deleteStale();
        } catch (RuntimeException e) {
            LOG.error("housekeeping failed: {}", e.toString());
        }
    }

    @Override
    public void backup(Path file) throws IOException {
        if (!(db instanceof SqliteDatabase sqlite)) throw new IllegalStateException("db backup copies SQLite databases; back up PostgreSQL with pg_dump (docs/OPERATIONS.md)");
        sqlite.backupTo(file);
    }

    @Override
    public CopyOutcome copyTo(DatabaseConfig target) {
        DatabaseConfig source = config.database();
        if (target.kind() == source.kind() && target.jdbcUrl().equals(source.jdbcUrl())) {
            throw new IllegalArgumentException("--to names the configured database itself (" + target + "); give the new PostgreSQL database");
        }
        if (!(db instanceof SqliteDatabase sqlite)) {
            throw new IllegalStateException("db copy moves an SQLite database to PostgreSQL, and the configured database is " + source
                    + " (copy PostgreSQL with pg_dump)");
        }
        if (target.kind() != DatabaseConfig.Kind.POSTGRESQL) {
            throw new IllegalArgumentException("--to must name a PostgreSQL database (postgresql://... or jdbc:postgresql://...), not " + target);
        }
        try (PostgresDatabase to = PostgresDatabase.open(target, "--to")) {
            return switch (DatabaseCopy.copy(sqlite, to)) {
                case DatabaseCopy.Outcome.Copied copied -> new Copied(copied.rows());
                case DatabaseCopy.Outcome.TargetNotEmpty notEmpty -> new TargetNotEmpty(notEmpty.tables());
            };
        }
    }

    @Override
    public void close() {
        if (http != null) http.stop();
        if (deliverer != null) deliverer.close();
        if (notices != null) notices.close();
        if (housekeeping != null) housekeeping.shutdownNow();
        denyList.close();
        closeGeoIp();
        db.close();
    }

    private void closeGeoIp() {
        if (geoIp instanceof MaxMindGeoIp maxMind) {
            try {
                maxMind.close();
            } catch (java.io.IOException e) {
                LOG.warn("closing the GeoIP database: {}", e.getMessage());
            }
        }
    }

    /** The risk engine, for sign-in and refresh to consult (not wired into them yet). */
    public RiskEngine risk() {
        return risk;
    }

    public RotorConfig config() {
        return config;
    }

    public Database database() {
        return db;
    }

    public Accounts accounts() {
        return accounts;
    }

    public UserStore users() {
        return users;
    }

    public ClientStore clientStore() {
        return clientStore;
    }

    @Override
    public ClientRegistration clients() {
        return registration;
    }

    public Sessions sessions() {
        return sessions;
    }

    public KeyRing keys() {
        return keys;
    }

    public AuditLog audit() {
        return audit;
    }

    public AccessTokens accessTokens() {
        return accessTokens;
    }

    @Override
    public SsoSessions sso() {
        return sso;
    }

    @Override
    public SignOut signOut() {
        return signOut;
    }

    @Override
    public Consents consents() {
        return consents;
    }

    /** Users' TOTP and recovery codes; as {@link dev.rotor.signin.SecondFactors}, what sign-in asks. */
    public TotpFactors totpFactors() {
        return totpFactors;
    }

    public LogoutOutbox logoutOutbox() {
        return logoutOutbox;
    }
}
