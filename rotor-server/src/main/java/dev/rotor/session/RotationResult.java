package dev.rotor.session;

/**
 * What the store did for one attempt.
 *
 * @param session the family after the step (null when the token was unknown)
 * @param token   the presented token's row as read (null when unknown)
 */
public record RotationResult(Decision decision, Session session, TokenState token) {}
