package dev.rotor.store;

import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Recognises an insert refused by a primary key or unique constraint, so that a lost race to create something
 * becomes the caller's "exists" answer rather than a server error. The constraint decides, not a look-up before
 * the insert: two processes (or two PostgreSQL connections) can both look and find nothing.
 */
final class UniqueViolation {
    /** PostgreSQL's unique_violation (also raised for a primary key). */
    private static final String SQLSTATE = "23505";

    private UniqueViolation() {}

    static boolean is(SQLException e) {
        if (SQLSTATE.equals(e.getSQLState())) return true;
        // SQLite: SQLITE_CONSTRAINT (19) with the extended codes of a primary key (1555) or a unique index (2067).
        return e instanceof SQLiteException s && (s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY
                || s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE);
    }
}
