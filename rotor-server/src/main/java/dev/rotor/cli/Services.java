package dev.rotor.cli;

import dev.rotor.account.Accounts;
import dev.rotor.account.UserStore;
import dev.rotor.audit.AuditLog;
import dev.rotor.oauth.ClientStore;
import dev.rotor.session.Sessions;
import dev.rotor.token.KeyRing;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What the commands work with: the core on the configured database, opened for each command by the composition
 * root ({@code app/}), which sees the CLI while the CLI does not see it.
 */
public interface Services extends AutoCloseable {
    Accounts accounts();

    UserStore users();

    ClientStore clientStore();

    Sessions sessions();

    KeyRing keys();

    AuditLog audit();

    /**
     * Writes a consistent copy of the database to {@code file}, a new file only its owner may read, while servers
     * and other commands go on reading and writing.
     *
     * @throws java.nio.file.FileAlreadyExistsException when {@code file} exists; it is never overwritten
     */
    void backup(Path file) throws IOException;

    /** Loads (or creates) the signing keys, starts housekeeping and the HTTP server; returns the bound port. */
    int start();

    @Override
    void close();
}
