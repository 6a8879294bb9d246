package dev.rotor.cli;

import dev.rotor.config.DatabaseConfig;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

@Command(name = "db", description = "The database as a whole.", subcommands = {DbCommands.Backup.class, DbCommands.Copy.class})
final class DbCommands {

    @Command(name = "backup", description = "Write a consistent copy of the SQLite database to FILE, a new file only you may read;"
            + " safe while a server runs and writes. The master key is not in it: back it up separately, never beside it.")
    static final class Backup extends RotorCommand.OnDatabase {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        int run(Services rotor, Terminal out) {
            try {
                rotor.backup(file);
            } catch (FileAlreadyExistsException e) {
                out.error("%s already exists; a backup never overwrites a file (choose a new name)", file);
                return 1;
            } catch (IOException e) {
                out.error("cannot write the backup %s: %s", file, e);
                return 1;
            }
            out.line("backed up the database to %s; the master key is not in it (keep a copy of the key apart from the backups)", file);
            return 0;
        }
    }

    @Command(name = "copy", description = "Copy every row of the SQLite database into a new, empty PostgreSQL database (its schema is"
            + " migrated first): all or nothing, from one snapshot; the SQLite database is only read. Stop the server first: sessions"
            + " that rotate after the snapshot are lost. Then start the servers with ROTOR_DB set to URL and the same master key.")
    static final class Copy extends RotorCommand.OnDatabase {
        @Option(names = "--to", required = true, paramLabel = "URL", converter = PostgresUrl.class,
                description = "the PostgreSQL database, in a ROTOR_DB form: postgresql://user[:password]@host[:port]/database[?params]"
                        + " or jdbc:postgresql://...")
        DatabaseConfig to;

        @Override
        int run(Services rotor, Terminal out) {
            Services.CopyOutcome outcome;
            try {
                outcome = rotor.copyTo(to);
            } catch (IllegalArgumentException | IllegalStateException refused) {
                // --to names the configured database, or the configured one is not SQLite: the command line is wrong.
                throw new ParameterException(spec.commandLine(), refused.getMessage());
            } catch (RuntimeException e) {
                // The message masks passwords and holds no value of a row; its first line is the server's own words.
                String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
                out.error("db copy failed, and no row was committed to the target: %s", why);
                return 1;
            }
            return switch (outcome) {
                case Services.TargetNotEmpty notEmpty -> {
                    out.error("%s is not empty (rows in %s); db copy fills only an empty database, and wrote nothing to it", to,
                            String.join(", ", notEmpty.tables()));
                    yield 1;
                }
                case Services.Copied copied -> {
                    out.line("copied the database to %s in one transaction (rows per table):", to);
                    for (Map.Entry<String, Long> table : copied.rows().entrySet()) out.line("  %-20s %10s", table.getKey(), table.getValue());
                    out.line("start the servers with ROTOR_DB set to this database and the same master key; the SQLite database is unchanged");
                    yield 0;
                }
            };
        }
    }

    /** A PostgreSQL database in any form ROTOR_DB accepts; a refusal's message masks the password, as ROTOR_DB's do. */
    static final class PostgresUrl implements ITypeConverter<DatabaseConfig> {
        @Override
        public DatabaseConfig convert(String value) {
            DatabaseConfig target;
            try {
                target = DatabaseConfig.parse(value.trim(), Path.of("."), 2);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
            if (target.kind() != DatabaseConfig.Kind.POSTGRESQL) {
                throw new TypeConversionException("not a PostgreSQL database (postgresql://user@host[:port]/database or jdbc:postgresql://...);"
                        + " to copy the SQLite database to a file, use rotor db backup FILE");
            }
            return target;
        }
    }
}
