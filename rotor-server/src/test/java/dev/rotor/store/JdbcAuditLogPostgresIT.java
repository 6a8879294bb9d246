package dev.rotor.store;

import dev.rotor.audit.AuditLog;

/** {@link AuditLogContract} against {@link JdbcAuditLog} on PostgreSQL, a fresh database per test. */
class JdbcAuditLogPostgresIT extends AuditLogContract {
    private PostgresFixture pg;

    @Override
    protected AuditLog openLog() {
        pg = PostgresFixture.create();
        return new JdbcAuditLog(pg.open());
    }

    @Override
    protected void closeLog() {
        if (pg != null) pg.close();
    }
}
