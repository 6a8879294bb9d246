package dev.rotor.risk.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The test GeoIP database: a few networks in a few countries, with real coordinates, written by {@link TestMmdb}. */
public final class TestGeo {
    /** Lisbon, Portugal; AS64500 (a home ISP). */
    public static final String LISBON_HOME = "198.51.100.23";
    /** Berlin, Germany; AS64501 (a home ISP). */
    public static final String BERLIN_HOME = "203.0.113.9";
    /** Another Berlin /24 of the same ISP (AS64501). */
    public static final String BERLIN_HOME_OTHER_NET = "203.0.114.77";
    /** Munich, Germany; AS64502 (a mobile carrier). */
    public static final String MUNICH_MOBILE = "192.0.2.200";
    /** New York, United States; IPv6, no ASN. */
    public static final String NEW_YORK_V6 = "2001:db8:1:2::99";
    /** Somewhere in France: a country-only record, no coordinates. */
    public static final String FRANCE_NO_COORDINATES = "100.64.3.4";
    /** In no network of the database. */
    public static final String NOWHERE = "10.9.8.7";

    private TestGeo() {}

    public static Path write(Path file) {
        try {
            return TestMmdb.of("GeoIP2-City")
                    .add("198.51.100.0/24", TestMmdb.city("PT", "Lisbon", 38.7223, -9.1393, 64500L))
                    .add("203.0.113.0/24", TestMmdb.city("DE", "Berlin", 52.52, 13.405, 64501L))
                    .add("203.0.114.0/24", TestMmdb.city("DE", "Berlin", 52.52, 13.405, 64501L))
                    .add("192.0.2.0/24", TestMmdb.city("DE", "Munich", 48.1351, 11.582, 64502L))
                    .add("2001:db8::/32", TestMmdb.city("US", "New York", 40.7128, -74.006, null))
                    .add("100.64.0.0/16", TestMmdb.city("FR", null, null, null, null))
                    .write(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
