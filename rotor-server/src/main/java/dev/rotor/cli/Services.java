package dev.rotor.cli;

import dev.rotor.account.Accounts;
import dev.rotor.account.UserStore;
import dev.rotor.audit.AuditLog;
import dev.rotor.oauth.ClientStore;
import dev.rotor.session.Sessions;
import dev.rotor.token.KeyRing;

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

    /** Loads (or creates) the signing keys, starts housekeeping and the HTTP server; returns the bound port. */
    int start();

    @Override
    void close();
}
