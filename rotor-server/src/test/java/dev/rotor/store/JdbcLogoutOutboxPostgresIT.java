package dev.rotor.store;

import dev.rotor.logout.LogoutOutbox;

/** {@link LogoutOutboxContract} against {@link JdbcLogoutOutbox} on PostgreSQL, a fresh database per test. */
class JdbcLogoutOutboxPostgresIT extends LogoutOutboxContract {
    private PostgresFixture pg;
    private PostgresDatabase db;
    private PostgresDatabase another;

    @Override
    protected LogoutOutbox openOutbox() {
        pg = PostgresFixture.create();
        db = pg.open();
        return new JdbcLogoutOutbox(db);
    }

    @Override
    protected LogoutOutbox openAnotherNode() {
        another = pg.open();
        return new JdbcLogoutOutbox(another);
    }

    @Override
    protected void closeOutbox() {
        if (pg != null) pg.close(); // with both pools it opened
    }
}
