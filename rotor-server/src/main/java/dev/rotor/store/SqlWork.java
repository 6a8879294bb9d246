package dev.rotor.store;

import java.sql.SQLException;

/** Work done inside one transaction of the writer. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Tx tx) throws SQLException;
}
