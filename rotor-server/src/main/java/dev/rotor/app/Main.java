package dev.rotor.app;

import dev.rotor.cli.RotorCommand;

/** Entry point of {@code rotor}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        boolean serving = args.length > 0 && args[0].equals("serve");
        // slf4j-simple reads these once; the CLI stays quiet unless something is wrong.
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", serving ? "info" : "warn");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        setDefault("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        setDefault("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
        setDefault("org.slf4j.simpleLogger.log.org.flywaydb", "warn");
        setDefault("org.slf4j.simpleLogger.log.io.javalin", "warn");
        if (serving && System.getProperty("jdk.virtualThreadScheduler.parallelism") == null) {
            // Request handlers (virtual threads) get every core but one, so that the single database writer,
            // which every rotation waits for, never queues behind them. Override with -D... in ROTOR_JAVA_OPTS.
            int cores = Runtime.getRuntime().availableProcessors();
            System.setProperty("jdk.virtualThreadScheduler.parallelism", Integer.toString(Math.max(1, cores - 1)));
        }
        int code = RotorCommand.commandLine(Rotor::open).execute(args);
        if (!serving || code != 0) System.exit(code);
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }
}
