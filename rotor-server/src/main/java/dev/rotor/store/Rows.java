package dev.rotor.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Binding parameters and reading columns: instants are epoch milliseconds, lists are space separated. */
final class Rows {
    private Rows() {}

    static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            int idx = i + 1;
            switch (p) {
                case null -> ps.setNull(idx, Types.NULL);
                case Instant t -> ps.setLong(idx, t.toEpochMilli());
                case Integer n -> ps.setInt(idx, n);
                case Long n -> ps.setLong(idx, n);
                case Boolean b -> ps.setInt(idx, b ? 1 : 0);
                case byte[] bytes -> ps.setBytes(idx, bytes);
                case String s -> ps.setString(idx, s);
                default -> throw new IllegalArgumentException("cannot bind " + p.getClass());
            }
        }
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return instant(rs, rs.findColumn(column));
    }

    static List<String> words(String joined) {
        if (joined == null || joined.isBlank()) return List.of();
        if (joined.indexOf(' ') < 0) return List.of(joined); // the common case (amr "pwd"): no splitting
        return Arrays.stream(joined.trim().split(" +")).toList();
    }

    static String join(java.util.Collection<String> words) {
        return String.join(" ", words);
    }

    @FunctionalInterface
    interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static <T> List<T> list(PreparedStatement ps, Mapper<T> mapper) throws SQLException {
        List<T> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(mapper.map(rs));
        }
        return out;
    }

    static <T> T one(PreparedStatement ps, Mapper<T> mapper) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? mapper.map(rs) : null;
        }
    }
}
