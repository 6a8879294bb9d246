package dev.rotor.risk.source;

/**
 * Distances on the Earth's surface by the haversine formula, on a sphere of the mean Earth radius (IUGG, 6371.0088 km).
 * Hand-written: five lines of trigonometry; a geodesy library's ellipsoid precision (0.5 %) is far below what a GeoIP
 * city coordinate is worth (tens of kilometres).
 */
public final class GreatCircle {
    public static final double EARTH_RADIUS_KM = 6371.0088;

    private GreatCircle() {}

    /** Kilometres between two points given in degrees. */
    public static double km(double lat1, double lon1, double lat2, double lon2) {
        double phi1 = Math.toRadians(lat1);
        double phi2 = Math.toRadians(lat2);
        double dPhi = Math.toRadians(lat2 - lat1);
        double dLambda = Math.toRadians(lon2 - lon1);
        double h = Math.sin(dPhi / 2) * Math.sin(dPhi / 2) + Math.cos(phi1) * Math.cos(phi2) * Math.sin(dLambda / 2) * Math.sin(dLambda / 2);
        // min(1, ...): rounding may push h a hair above 1 for antipodal points, and asin would return NaN.
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
    }

    /** Kilometres between two places; both must have coordinates. */
    public static double km(Place a, Place b) {
        return km(a.latitude(), a.longitude(), b.latitude(), b.longitude());
    }
}
