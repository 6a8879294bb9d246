package dev.rotor.http;

import java.util.List;

/**
 * One app on the account page, ready to print. Public because the compiled templates live in a package of their own.
 *
 * @param scopes       what it may do, in words for people
 * @param allowedOn    the day the user last allowed it, in words
 * @param allowedAtIso the same instant, ISO 8601, for the {@code <time>} element
 */
public record AppListing(String clientId, List<String> scopes, String allowedOn, String allowedAtIso) {
    public AppListing {
        scopes = List.copyOf(scopes);
    }
}
