package dev.rotor.risk.source;

import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader;
import dev.rotor.config.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * {@link GeoIp} on a MaxMind-format {@code .mmdb} file ({@code ROTOR_GEOIP_DB}: GeoLite2/GeoIP2 City or Country, or
 * any database with the same record layout, such as DB-IP's), read with MaxMind's reader, memory-mapped.
 *
 * <p>From each record it takes {@code country.iso_code}, {@code city.names.en}, {@code location.latitude} and
 * {@code location.longitude}; the autonomous system from {@code traits.autonomous_system_number} (GeoIP2 Enterprise
 * and Insights-shaped records) or a top-level {@code autonomous_system_number} (an ASN database, or a merged one).
 * A field the database lacks is unknown; a record that cannot be decoded is {@link Place#UNKNOWN} (and the geo
 * signals are then absent for that request), never an error for the caller.
 */
public final class MaxMindGeoIp implements GeoIp, AutoCloseable {
    private static final String SETTING = "ROTOR_GEOIP_DB";
    private final Reader reader;

    private MaxMindGeoIp(Reader reader) {
        this.reader = reader;
    }

    /** @throws ConfigException naming {@code ROTOR_GEOIP_DB} when the file is missing, unreadable or not a MaxMind DB */
    public static MaxMindGeoIp open(Path file) {
        if (!Files.isRegularFile(file)) throw new ConfigException(SETTING + ": " + file + " does not exist or is not a file");
        if (!Files.isReadable(file)) throw new ConfigException(SETTING + ": " + file + " is not readable");
        try {
            // A small decoded-record cache: most lookups are of the few networks a deployment's users sign in from.
            return new MaxMindGeoIp(new Reader(file.toFile(), Reader.FileMode.MEMORY_MAPPED, new CHMCache(4096)));
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(SETTING + ": " + file + " is not a MaxMind DB (.mmdb) file: " + e.getMessage());
        }
    }

    /** The database's type from its metadata, e.g. {@code GeoLite2-City}, for the start-up log line. */
    public String databaseType() {
        return reader.getMetadata().getDatabaseType();
    }

    @Override
    public Place locate(InetAddress address) {
        Map<?, ?> record;
        try {
            record = reader.get(address, Map.class);
        } catch (IOException | RuntimeException e) {
            // A corrupt record, or an IPv6 address in an IPv4-only database: unknown, not a failed sign-in.
            return Place.UNKNOWN;
        }
        if (record == null) return Place.UNKNOWN;
        try {
            String country = text(field(record, "country", "iso_code"));
            Double lat = number(field(record, "location", "latitude"));
            Double lon = number(field(record, "location", "longitude"));
            if (lat == null || lon == null || Math.abs(lat) > 90 || Math.abs(lon) > 180) lat = lon = null;
            Object asn = field(record, "traits", "autonomous_system_number");
            if (asn == null) asn = record.get("autonomous_system_number");
            return new Place(country == null ? null : country.toUpperCase(Locale.ROOT), text(field(record, "city", "names", "en")),
                    lat, lon, asn instanceof Number n ? n.longValue() : null);
        } catch (RuntimeException e) {
            return Place.UNKNOWN; // a record of another shape
        }
    }

    private static Object field(Map<?, ?> record, String... path) {
        Object value = record;
        for (String key : path) {
            if (!(value instanceof Map<?, ?> map)) return null;
            value = map.get(key);
        }
        return value;
    }

    private static String text(Object value) {
        return value instanceof String s && !s.isBlank() ? s : null;
    }

    private static Double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
