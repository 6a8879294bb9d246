package dev.rotor.risk.source;

/**
 * Where an IP address is, as far as the GeoIP database knows. Any part may be unknown (null): a country-level
 * database has no coordinates, and most city databases no autonomous system.
 *
 * @param country   ISO 3166-1 alpha-2 code, upper case, e.g. {@code PT}; null when unknown
 * @param city      English city name, for explanations only ("new device in Lisbon"); null when unknown
 * @param latitude  degrees, null when unknown (then {@code longitude} is null too)
 * @param longitude degrees, null when unknown
 * @param asn       autonomous system number, null when the database does not carry one
 */
public record Place(String country, String city, Double latitude, Double longitude, Long asn) {
    /** Nothing known: what every address is when no GeoIP database is configured. */
    public static final Place UNKNOWN = new Place(null, null, null, null, null);

    public Place {
        if ((latitude == null) != (longitude == null)) throw new IllegalArgumentException("latitude and longitude come together");
        if (latitude != null && (Math.abs(latitude) > 90 || Math.abs(longitude) > 180)) {
            throw new IllegalArgumentException("coordinates out of range: " + latitude + ", " + longitude);
        }
    }

    public boolean hasCoordinates() {
        return latitude != null;
    }

    /** The city if known, else the country, else null: the short label explanations use. */
    public String label() {
        return city != null ? city : country;
    }
}
