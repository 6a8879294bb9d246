package dev.rotor.config;

/** A configuration value that cannot be used; the message names the setting and stops start-up. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
