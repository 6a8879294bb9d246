package dev.rotor.cli;

import dev.rotor.account.Accounts;
import dev.rotor.account.UserStore;
import dev.rotor.audit.AuditLog;
import dev.rotor.config.DatabaseConfig;
import dev.rotor.oauth.authorize.Consents;
import dev.rotor.config.Setting;
import dev.rotor.oauth.registration.ClientRegistration;
import dev.rotor.session.Sessions;
import dev.rotor.logout.SignOut;
import dev.rotor.sso.SsoSessions;
import dev.rotor.token.KeyRing;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the commands work with: the core on the configured database, opened for each command by the composition
 * root ({@code app/}), which sees the CLI while the CLI does not see it. Opening it throws {@link Unavailable} when
 * the database cannot be opened.
 */
public interface Services extends AutoCloseable {
    Accounts accounts();

    UserStore users();

    ClientRegistration clients();

    Sessions sessions();

    KeyRing keys();

    AuditLog audit();

    SsoSessions sso();

    /** Ends single sign-on sessions and families, telling the clients that took part (back-channel logout). */
    SignOut signOut();
    Consents consents();

    /**
     * Writes a consistent copy of the database to {@code file}, a new file only its owner may read, while servers
     * and other commands go on reading and writing.
     *
     * @throws java.nio.file.FileAlreadyExistsException when {@code file} exists; it is never overwritten
     */
    void backup(Path file) throws IOException;

    /**
     * Copies every row of this database, which must be SQLite, into the PostgreSQL database {@code target}: migrates
     * its schema, then, in one transaction there and from one snapshot of this database, refuses it if it holds any
     * row or fills it. This database is only read.
     *
     * @throws IllegalArgumentException when {@code target} is this database, or not PostgreSQL
     * @throws IllegalStateException    when this database is not SQLite
     * @throws RuntimeException         when the target cannot be opened or the copy fails: no row was committed to
     *                                  it, and the message holds no value of a row
     */
    CopyOutcome copyTo(DatabaseConfig target);

    /** What {@link #copyTo} did. */
    sealed interface CopyOutcome {}

    /** Every row copied; rows per table, in the order they were copied. */
    record Copied(Map<String, Long> rows) implements CopyOutcome {}

    /** The target holds rows already, in these tables; nothing was written to it. */
    record TargetNotEmpty(List<String> tables) implements CopyOutcome {}

    /**
     * Loads (or creates) the signing keys, starts housekeeping and the HTTP server; returns the bound port.
     *
     * @throws Unavailable when the server cannot listen on the configured address and port
     */
    int start();

    /**
     * What a correctly given command needs and cannot have: the port is taken, the database cannot be opened. The
     * message says what failed, without a stack trace or a class name; {@link #settings()} are the settings that
     * change it, most likely first. The CLI exits 1 and names them.
     */
    final class Unavailable extends RuntimeException {
        private final List<Setting> settings;

        public Unavailable(String message, Throwable cause, Setting... settings) {
            super(message, cause);
            this.settings = List.of(settings);
        }

        public List<Setting> settings() {
            return settings;
        }
    }

    @Override
    void close();
}
