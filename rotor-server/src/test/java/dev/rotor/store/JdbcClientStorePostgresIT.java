package dev.rotor.store;

import dev.rotor.oauth.ClientStore;
import java.time.Instant;

/** {@link ClientStoreContract} against {@link JdbcClientStore} on PostgreSQL, a fresh database per test. */
class JdbcClientStorePostgresIT extends ClientStoreContract {
    private PostgresFixture pg;

    @Override
    protected ClientStore openStore() {
        pg = PostgresFixture.create();
        PostgresDatabase db = pg.open();
        belongings = new ClientBelongings(db);
        return new JdbcClientStore(db);
    }

    private ClientBelongings belongings;

    @Override
    protected void givenSession(String clientId, Instant expiresAt, boolean revoked) {
        belongings.givenSession(clientId, expiresAt, revoked);
    }

    @Override
    protected long belongings(String clientId) {
        return belongings.count(clientId);
    }

    @Override
    protected void closeStore() {
        if (pg != null) pg.close();
    }
}
