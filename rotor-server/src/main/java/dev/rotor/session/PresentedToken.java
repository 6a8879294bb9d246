package dev.rotor.session;

/**
 * A refresh token as presented, once its form is checked: the family and generation it names.
 *
 * @param legacyHash null for a token that names its family and generation under the server's MAC; the SHA-256 of
 *                   the token for one issued before that format, whose family and generation come from its row
 */
public record PresentedToken(String familyId, int generation, String legacyHash) {

    public boolean isLegacy() {
        return legacyHash != null;
    }

    /** True when this is the family's current token: its generation, in the format the family's current one has. */
    public boolean isCurrentOf(RefreshTokenFamily family) {
        if (generation != family.generation()) return false;
        return isLegacy() ? legacyHash.equals(family.legacyHash()) : family.legacyHash() == null;
    }
}
