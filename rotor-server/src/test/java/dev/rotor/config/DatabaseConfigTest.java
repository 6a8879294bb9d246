package dev.rotor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.config.DatabaseConfig.Kind;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ROTOR_DB: which database a value names, and that no password ever reaches a URL, a log line or an error. */
class DatabaseConfigTest {
    private static final String SECRET = "s3cret-Pa55";

    private static RotorConfig load(Map<Setting, String> flags) {
        return RotorConfig.load(flags, Map.of(), null);
    }

    private static RotorConfig withDb(String value) {
        return load(Map.of(Setting.DB, value, Setting.DATA_DIR, "/var/lib/rotor"));
    }

    @ParameterizedTest(name = "''{0}'' -> {1} {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "''                                              | SQLITE     | jdbc:sqlite:/var/lib/rotor/rotor.db                 | -     | -",
            "rotor.db                                        | SQLITE     | jdbc:sqlite:rotor.db                                | -     | -",
            "/srv/rotor/main.db                              | SQLITE     | jdbc:sqlite:/srv/rotor/main.db                      | -     | -",
            "jdbc:sqlite:/srv/x.db                           | SQLITE     | jdbc:sqlite:/srv/x.db                               | -     | -",
            "jdbc:sqlite:file:x.db?mode=rwc                  | SQLITE     | jdbc:sqlite:file:x.db?mode=rwc                      | -     | -",
            "postgresql://db.internal/rotor                  | POSTGRESQL | jdbc:postgresql://db.internal/rotor                 | -     | -",
            "postgres://db.internal:6432/rotor               | POSTGRESQL | jdbc:postgresql://db.internal:6432/rotor            | -     | -",
            "postgresql://rotor@10.0.0.7/rotor               | POSTGRESQL | jdbc:postgresql://10.0.0.7/rotor                    | rotor | -",
            "postgresql://rotor:pw@db:5432/rotor             | POSTGRESQL | jdbc:postgresql://db:5432/rotor                     | rotor | pw",
            "postgresql://r%40x:p%40%3Aw+d@db/my%20db        | POSTGRESQL | jdbc:postgresql://db/my+db                          | r@x   | p@:w+d",
            "postgresql://rotor:p@ss@db/rotor                | POSTGRESQL | jdbc:postgresql://db/rotor                          | rotor | p@ss",
            "postgresql://[::1]:5433/rotor                   | POSTGRESQL | jdbc:postgresql://[::1]:5433/rotor                  | -     | -",
            "postgresql://a:5432,b:5433/rotor?targetServerType=primary | POSTGRESQL | jdbc:postgresql://a:5432,b:5433/rotor?targetServerType=primary | - | -",
            "postgresql://db/rotor?sslmode=require&user=u&password=pw  | POSTGRESQL | jdbc:postgresql://db/rotor?sslmode=require | u | pw",
            "jdbc:postgresql://db/rotor?user=u&password=pw   | POSTGRESQL | jdbc:postgresql://db/rotor                          | u     | pw",
            "jdbc:postgresql://u:pw@db:5432/rotor?options=-c%20statement_timeout%3D5s | POSTGRESQL | jdbc:postgresql://db:5432/rotor?options=-c+statement_timeout%3D5s | u | pw",
            "postgresql://u:@db/rotor                        | POSTGRESQL | jdbc:postgresql://db/rotor                          | u     | -"})
    void databaseSettingNamesTheDatabase(String value, Kind kind, String jdbcUrl, String user, String password) {
        DatabaseConfig db = withDb(value).database();

        assertThat(db.kind()).isEqualTo(kind);
        assertThat(db.jdbcUrl()).isEqualTo(jdbcUrl);
        assertThat(db.user()).isEqualTo(user);
        assertThat(db.password()).isEqualTo(password);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', value = {
            "postgresql://db                        | must name one database",
            "postgresql://db/                       | must name one database",
            "postgresql://db/a/b                    | must name one database",
            "postgresql:///rotor                    | must name a host",
            "postgresql://u:pw@/rotor               | must name a host",
            "postgresql://db:0/rotor                | port must be 1-65535",
            "postgresql://db:65536/rotor            | port must be 1-65535",
            "postgresql://db:http/rotor             | port must be 1-65535",
            "postgresql://db,/rotor                 | must name a host",
            "postgresql://db/rotor?sslmode          | must be name=value",
            "postgresql://db/rotor?a=1&a=2          | given twice",
            "postgresql://u@db/rotor?user=v         | user is given twice",
            "postgresql://db/r%zz                   | bad percent-encoding",
            "jdbc:postgresql:rotor                  | jdbc:postgresql://host[:port]/database",
            "mysql://db/rotor                       | unsupported database URL",
            "jdbc:h2:mem:rotor                      | unsupported database URL"})
    void databaseSettingWhenBadThenStartUpStopsNamingTheSetting(String value, String why) {
        assertThatThrownBy(() -> withDb(value))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ROTOR_DB (--db, db): ")
                .hasMessageContaining(why);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', value = {
            "postgresql://rotor:" + SECRET + "@db/rotor                | postgresql://rotor:***@db/rotor",
            "postgresql://rotor:" + SECRET + "@db:5432/rotor?sslmode=require | postgresql://rotor:***@db:5432/rotor?sslmode=require",
            "postgresql://rotor:" + SECRET + "@@db/rotor               | postgresql://rotor:***@db/rotor",
            "jdbc:postgresql://db/rotor?user=u&password=" + SECRET + "&ssl=true | jdbc:postgresql://db/rotor?user=u&password=***&ssl=true",
            "jdbc:postgresql://db/rotor?sslpassword=" + SECRET + "     | jdbc:postgresql://db/rotor?sslpassword=***"})
    void databaseSettingWhenLoggedThenPasswordMasked(String value, String shown) {
        RotorConfig c = withDb(value);

        assertThat(c.database().toString()).isEqualTo(shown);
        assertThat(c.database().display()).isEqualTo(shown);
        assertThat(c.jdbcUrl()).doesNotContain(SECRET);
        assertThat(c.toString()).doesNotContain(SECRET);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', value = {
            "postgresql://rotor:" + SECRET + "@db",
            "postgresql://rotor:" + SECRET + "@db:99999/rotor",
            "postgresql://rotor:" + SECRET + "/x@db:1/rotor?a",           // an unencoded '/' in the password
            "postgresql://rotor:" + SECRET + "?x@db/rotor?%zz",           // an unencoded '?' in the password
            "postgresql://rotor:%zz" + SECRET + "@db/rotor",
            "postgresql://db/rotor?password=" + SECRET + "&password=" + SECRET,
            "mysql://rotor:" + SECRET + "@db/rotor",
            "jdbc:mysql://db/rotor?password=" + SECRET})
    void databaseSettingWhenBadThenErrorHidesThePassword(String value) {
        assertThatThrownBy(() -> withDb(value))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ROTOR_DB")
                .hasMessageNotContaining(SECRET)
                .hasMessageNotContaining(SECRET.substring(0, 5));
    }

    @Test
    void poolSizeDefaultsToSixteenAndIsConfigurable() {
        assertThat(load(Map.of()).database().poolSize()).isEqualTo(16);
        assertThat(load(Map.of(Setting.DB, "postgresql://db/rotor", Setting.DB_POOL, "40")).database().poolSize()).isEqualTo(40);
    }

    @Test
    void databaseWhenEmptyThenFileInDataDir() {
        assertThat(load(Map.of(Setting.DATA_DIR, "d")).jdbcUrl()).isEqualTo("jdbc:sqlite:" + Path.of("d").resolve("rotor.db"));
    }
}
