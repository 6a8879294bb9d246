package dev.rotor.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.AuditLog;
import dev.rotor.audit.RequestInfo;
import dev.rotor.notify.SecurityNotice;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link AuditLog} on the SQL database; other stores append events inside their own transactions.
 *
 * <p>Ids rise in the order events are inserted. On SQLite that is also the order they become visible (one writer).
 * On PostgreSQL concurrent transactions commit in any order, so an event can become visible after one with a higher
 * id, and a reader following with {@link #after} from the last id it saw can miss it.
 */
public final class JdbcAuditLog implements AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, at, type, user_id, session_id, client_id, ip, user_agent, detail";
    private static final String INSERT = "INSERT INTO audit_events (at, type, user_id, session_id, client_id, ip, user_agent, detail) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private final Database db;

    public JdbcAuditLog(Database db) {
        this.db = db;
    }

    @Override
    public void record(AuditEvent event) {
        db.write(tx -> {
            insert(tx, event);
            return null;
        });
    }

    /**
     * Appends {@code e} on {@code tx}; other stores call this inside their own transactions. Every audit event is
     * written here, so this is where an event of {@link SecurityNotice#TYPES} queues its notice, in the same
     * transaction: it is told exactly when it is committed, whichever store wrote it.
     */
    static void insert(Tx tx, AuditEvent e) throws SQLException {
        String detail;
        try {
            detail = JSON.writeValueAsString(new TreeMap<>(e.detail()));
        } catch (JsonProcessingException ex) {
            throw new SQLException("audit detail not serializable", ex);
        }
        Object[] values = {e.at(), e.type(), e.userId(), e.sessionId(), e.clientId(), e.request().ip(), e.request().userAgent(), detail};
        if (!SecurityNotice.told(e.type())) {
            tx.update(INSERT, values);
            return;
        }
        var ps = tx.prepare(INSERT + " RETURNING id");
        Rows.bind(ps, values);
        JdbcNoticeOutbox.insert(tx, Rows.one(ps, rs -> rs.getLong(1)), e.at());
    }

    @Override
    public List<AuditEvent> after(long afterId, int limit) {
        return db.read(tx -> {
            var ps = tx.prepare("SELECT " + COLUMNS + " FROM audit_events WHERE id > ? ORDER BY id LIMIT ?");
            Rows.bind(ps, afterId, limit);
            return Rows.list(ps, JdbcAuditLog::map);
        });
    }

    @Override
    public List<AuditEvent> tail(int limit) {
        return db.read(tx -> {
            // The alias is optional in SQLite, required by PostgreSQL before 16.
            var ps = tx.prepare("SELECT * FROM (SELECT " + COLUMNS + " FROM audit_events ORDER BY id DESC LIMIT ?) AS newest ORDER BY id");
            Rows.bind(ps, limit);
            return Rows.list(ps, JdbcAuditLog::map);
        });
    }

    static AuditEvent map(ResultSet rs) throws SQLException {
        Map<String, String> detail;
        try {
            detail = JSON.readValue(rs.getString("detail"), new TypeReference<Map<String, String>>() {});
        } catch (JsonProcessingException e) {
            detail = Map.of("unreadable", "true");
        }
        return new AuditEvent(rs.getLong("id"), Rows.instant(rs, "at"), rs.getString("type"), rs.getString("user_id"),
                rs.getString("session_id"), rs.getString("client_id"), new RequestInfo(rs.getString("ip"), rs.getString("user_agent")), detail);
    }
}
