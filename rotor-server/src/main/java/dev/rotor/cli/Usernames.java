package dev.rotor.cli;

import dev.rotor.account.User;
import dev.rotor.account.UserStore;
import java.util.HashMap;
import java.util.Map;

/** The username beside each user id a command prints, each user read once per command. */
final class Usernames {
    private final UserStore users;
    private final Map<String, String> byId = new HashMap<>();

    Usernames(UserStore users) {
        this.users = users;
    }

    /** The username of {@code userId}; "-" when there is no user id (an event no user caused) or no such user. */
    String of(String userId) {
        if (userId == null) return "-";
        return byId.computeIfAbsent(userId, id -> users.findById(id).map(User::username).orElse("-"));
    }
}
