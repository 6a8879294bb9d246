package dev.rotor.session;

/**
 * What the store did for one attempt.
 *
 * @param session the family after the step (null when the token was unknown). Only what a grant needs to answer
 *                is filled in (ids, scope, expiry, last use, auth_time, amr, acr, generation, revocation time): the
 *                single writer reads no more than that on every rotation. Creation time, IPs and user agents are null.
 * @param token   the presented token's row as read (null when unknown); created_at and the first use's IP and
 *                user agent only when the token was already used
 */
public record RotationResult(Decision decision, Session session, TokenState token) {}
