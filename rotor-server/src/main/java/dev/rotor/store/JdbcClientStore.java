package dev.rotor.store;

import dev.rotor.oauth.Client;
import dev.rotor.oauth.ClientStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link ClientStore} on the SQL database. */
public final class JdbcClientStore implements ClientStore {
    private static final String COLUMNS = "id, type, secret_hash, redirect_uris, grants, origins, first_party, scope, created_at, claims, "
            + "post_logout_redirect_uris, backchannel_logout_uri, consent_required, previous_secret_hash, previous_secret_expires_at";
    private final Database db;

    public JdbcClientStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<Client> find(String id) {
        return Optional.ofNullable(db.read(tx -> {
            var ps = tx.prepare("SELECT " + COLUMNS + " FROM clients WHERE id = ?");
            Rows.bind(ps, id);
            return Rows.one(ps, JdbcClientStore::map);
        }));
    }

    /** Inserts; the primary key decides a race. */
    @Override
    public void add(Client c) {
        db.write(tx -> {
            try {
                return tx.update("INSERT INTO clients (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        c.id(), c.type().value(), c.secretHash(), Rows.join(c.redirectUris()), Rows.join(c.grants()),
                        Rows.join(c.origins()), c.firstParty(), c.scope(), c.createdAt(), Rows.join(c.claims()),
                        Rows.join(c.postLogoutRedirectUris()), c.backchannelLogoutUri(), c.consentRequired(), c.previousSecretHash(),
                        c.previousSecretExpiresAt());
            } catch (SQLException e) {
                if (UniqueViolation.is(e)) throw new IllegalArgumentException("client '" + c.id() + "' exists", e);
                throw e;
            }
        });
    }

    @Override
    public List<Client> list() {
        return db.read(tx -> Rows.list(tx.prepare("SELECT " + COLUMNS + " FROM clients ORDER BY id"), JdbcClientStore::map));
    }

    /** One conditional UPDATE: the secret hash read before is the compare-and-set. */
    @Override
    public boolean replace(Client c, String expectedSecretHash) {
        String secretIs = expectedSecretHash == null ? "secret_hash IS NULL" : "secret_hash = ?";
        List<Object> params = new ArrayList<>(Arrays.asList(c.type().value(), c.secretHash(), Rows.join(c.redirectUris()), Rows.join(c.grants()),
                Rows.join(c.origins()), c.firstParty(), c.scope(), Rows.join(c.claims()), Rows.join(c.postLogoutRedirectUris()),
                c.backchannelLogoutUri(), c.consentRequired(), c.previousSecretHash(), c.previousSecretExpiresAt(),
                c.id()));
        if (expectedSecretHash != null) params.add(expectedSecretHash);
        return db.write(tx -> tx.update("UPDATE clients SET type = ?, secret_hash = ?, redirect_uris = ?, grants = ?, origins = ?, first_party = ?, "
                + "scope = ?, claims = ?, post_logout_redirect_uris = ?, backchannel_logout_uri = ?, consent_required = ?, "
                + "previous_secret_hash = ?, previous_secret_expires_at = ? WHERE id = ? AND " + secretIs, params.toArray()) == 1);
    }

    @Override
    public int liveSessions(String id, Instant now) {
        return db.read(tx -> {
            var ps = tx.prepare("SELECT count(*) FROM sessions WHERE client_id = ? AND revoked_at IS NULL AND expires_at > ?");
            Rows.bind(ps, id, now);
            return Rows.one(ps, rs -> rs.getInt(1));
        });
    }

    /** Children first: sessions reference the client, tokens and uses reference sessions. */
    @Override
    public int remove(String id) {
        return db.write(tx -> {
            String ofClient = "session_id IN (SELECT id FROM sessions WHERE client_id = ?)";
            tx.update("DELETE FROM refresh_token_uses WHERE " + ofClient, id);
            tx.update("DELETE FROM refresh_tokens WHERE " + ofClient, id);
            tx.update("DELETE FROM sso_session_families WHERE client_id = ?", id);
            tx.update("DELETE FROM authorization_codes WHERE client_id = ?", id);
            tx.update("DELETE FROM consents WHERE client_id = ?", id);
            int sessions = tx.update("DELETE FROM sessions WHERE client_id = ?", id);
            return tx.update("DELETE FROM clients WHERE id = ?", id) == 1 ? sessions : -1;
        });
    }

    private static Client map(ResultSet rs) throws SQLException {
        return new Client(rs.getString("id"), Client.Type.valueOf(rs.getString("type").toUpperCase()), rs.getString("secret_hash"),
                Rows.words(rs.getString("redirect_uris")), Set.copyOf(Rows.words(rs.getString("grants"))),
                Set.copyOf(Rows.words(rs.getString("origins"))), rs.getInt("first_party") != 0, rs.getString("scope"),
                Rows.instant(rs, "created_at"), Set.copyOf(Rows.words(rs.getString("claims"))),
                Rows.words(rs.getString("post_logout_redirect_uris")), rs.getString("backchannel_logout_uri"),
                rs.getInt("consent_required") != 0, rs.getString("previous_secret_hash"), Rows.instant(rs, "previous_secret_expires_at"));
    }
}
