package dev.rotor.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The 256-bit key that encrypts private signing keys and the refresh-token MAC key at rest. It comes from the
 * environment variable {@code ROTOR_MASTER_KEY} (base64url) when set, else from a key file that is created
 * with mode 0600 on first start. It is never accepted as a flag: flags show in the process list.
 */
public final class MasterKey {
    public static final String ENV = "ROTOR_MASTER_KEY";

    private MasterKey() {}

    /**
     * The key from {@code fromEnv} when set, else from {@code file}, which is created with a new random key when it
     * does not exist, unless the database already holds values sealed under a key.
     *
     * @param sealedDataExists whether the database holds sealed values (signing keys, the refresh-token MAC key): then a missing file means a
     *                         lost key, and a new one beside them would only hide that until they fail to open
     * @throws IllegalStateException when the key cannot be had, saying which and what to do
     */
    public static byte[] load(String fromEnv, Path file, SecureRandom random, boolean sealedDataExists) {
        if (fromEnv != null && !fromEnv.isBlank()) return decode(fromEnv.trim(), ENV);
        try {
            if (!Files.exists(file)) {
                if (sealedDataExists) {
                    throw new IllegalStateException("the master key file " + file + " is missing, but the database holds keys sealed"
                            + " under a master key, which a new key would not open. Restore " + file.getFileName() + " from your backup"
                            + " (mode 0600), or set " + ENV + " to the key");
                }
                create(file, random);
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)
                    || perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IllegalStateException("master key file " + file + " is readable or writable by others; chmod 600 it");
            }
            return decode(Files.readString(file, StandardCharsets.US_ASCII).trim(), "master key file " + file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the master key file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the key to a temporary file, then links it into place: the link either appears complete or fails
     * because another process (a second CLI, the server) created the file first, in which case theirs is read.
     */
    private static void create(Path file, SecureRandom random) throws IOException {
        byte[] key = new byte[32];
        random.nextBytes(key);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path tmp = Files.createTempFile(dir, ".master", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, Base64.getUrlEncoder().withoutPadding().encodeToString(key) + "\n",
                    StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException raced) {
                // Another process won; read its key.
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static byte[] decode(String text, String source) {
        byte[] key;
        try {
            key = Base64.getUrlDecoder().decode(text.replace('+', '-').replace('/', '_').replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " is not base64url");
        }
        if (key.length != 32) throw new IllegalStateException(source + " must hold 32 bytes, found " + key.length);
        return key;
    }
}
