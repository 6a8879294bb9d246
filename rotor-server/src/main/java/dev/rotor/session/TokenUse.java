package dev.rotor.session;

import java.time.Instant;

/**
 * The first use of one token of a family (the rotation that replaced it), kept for forensics: a reuse is audited
 * with both uses. The store keeps a bounded history per family (see {@link FamilyChange.Rotate}).
 *
 * @param generation the used token's generation
 * @param changed    true when the use came from another IP or user agent than the use before it
 */
public record TokenUse(int generation, Instant at, String ip, String userAgent, boolean changed) {}
