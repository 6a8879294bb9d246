package dev.rotor.bench.jmh;

import dev.rotor.crypto.CryptoProviders;

/** Selects the crypto provider of a benchmark fork: "native" (what the server installs) or "jdk" (its fallback). */
final class Providers {
    private Providers() {}

    static void use(String provider) {
        if (provider.equals("jdk")) System.setProperty("rotor.crypto.jdk", "true");
        System.out.println("crypto: " + CryptoProviders.install());
    }
}
