package dev.rotor.account;

import com.ibm.icu.text.SpoofChecker;
import java.util.Optional;
import rocks.xmpp.precis.InvalidDirectionalityException;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * The two forms a username is compared by. The key is what sign-in looks up and what must be unique; the skeleton is
 * what look-alikes share and must be unique too. The name as typed is kept only for display.
 */
public final class UsernameForms {
    /** UTS #39 §4: the skeleton maps each character to its prototype in the confusables table. */
    private static final SpoofChecker SPOOF = new SpoofChecker.Builder().build();

    private UsernameForms() {}

    /**
     * RFC 8265 §3.3 UsernameCaseMapped: width mapping, case mapping (Unicode toLowerCase), NFC, then the
     * IdentifierClass (RFC 8264 §4.2) and the bidi rule (RFC 5893). Stable: the key of a key is itself.
     *
     * @throws IllegalArgumentException naming the rule the username breaks
     */
    public static String key(String username) {
        if (username == null || username.isEmpty()) throw new IllegalArgumentException("username must not be empty");
        String key;
        try {
            key = PrecisProfiles.USERNAME_CASE_MAPPED.enforce(username);
        } catch (IllegalArgumentException e) {
            String allowed = e instanceof InvalidDirectionalityException
                    ? "a name with right-to-left letters holds no left-to-right ones, begins with a letter and ends with a letter or digit"
                    : "letters and digits, no spaces, symbols or control characters";
            throw new IllegalArgumentException("username is not allowed: " + e.getMessage() + " (" + allowed + ")", e);
        }
        if (key.isEmpty()) throw new IllegalArgumentException("username must not be empty");
        return key;
    }

    /** The key, or empty when the username breaks RFC 8265 (such a name can belong to no user registered since). */
    public static Optional<String> keyIfValid(String username) {
        try {
            return Optional.of(key(username));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The UTS #39 skeleton of the key: {@code аlice} (Cyrillic a) and {@code alice} share one. */
    public static String skeleton(String key) {
        return SPOOF.getSkeleton(key);
    }
}
