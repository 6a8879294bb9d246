package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Released SQLite migrations are never edited: Flyway refuses to start on a database whose applied scripts changed.
 * Databases made by earlier builds recorded these checksums (the scripts were then in db/migration itself).
 */
class MigrationChecksumsIT {
    private static final Map<String, Integer> RELEASED = Map.of(
            "V1__core.sql", 1370967867,
            "V2__client_claims.sql", 1313829771);

    @TempDir
    Path dir;

    @Test
    void sqliteMigrationsKeepTheChecksumsOfReleasedBuilds() throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve("rotor.db");
        SqliteDatabase.open(url).close();

        Map<String, Integer> applied = history(url);
        assertThat(applied).containsAllEntriesOf(RELEASED);
    }

    @Test
    void databaseMigratedFromTheEarlierFolderOpensAndKeepsItsHistory() throws Exception {
        // An earlier build's database: the same scripts, applied from classpath:db/migration.
        Path old = Files.createDirectories(dir.resolve("old/db/migration"));
        for (String script : List.of("V1__core.sql", "V2__client_claims.sql")) {
            try (InputStream in = getClass().getResourceAsStream("/db/migration/sqlite/" + script)) {
                Files.copy(in, old.resolve(script));
            }
        }
        String url = "jdbc:sqlite:" + dir.resolve("old.db");
        Flyway.configure().dataSource(url, null, null).locations("filesystem:" + old).load().migrate();
        Map<String, Integer> before = history(url);

        SqliteDatabase.open(url).close();

        // The scripts it already ran are not run again (same checksums); only versions it lacks are applied.
        assertThat(history(url)).containsAllEntriesOf(before).containsAllEntriesOf(RELEASED).containsKey("V3__bounded_families.sql");
    }

    private static Map<String, Integer> history(String url) throws SQLException {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(url);
             ResultSet rs = c.createStatement().executeQuery("SELECT script, checksum FROM flyway_schema_history ORDER BY installed_rank")) {
            while (rs.next()) out.put(rs.getString(1), rs.getInt(2));
        }
        return out;
    }
}
