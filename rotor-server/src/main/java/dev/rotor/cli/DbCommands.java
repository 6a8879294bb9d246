package dev.rotor.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "db", description = "The database as a whole.", subcommands = {DbCommands.Backup.class})
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
}
