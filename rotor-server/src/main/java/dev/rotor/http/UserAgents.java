package dev.rotor.http;

import dev.rotor.risk.source.UserAgentFamily;

/** The "Browser on OS" label of the sessions list: the family the risk engine compares on refresh, one parser for both. */
final class UserAgents {
    private UserAgents() {}

    static String describe(String ua) {
        return UserAgentFamily.of(ua);
    }
}
