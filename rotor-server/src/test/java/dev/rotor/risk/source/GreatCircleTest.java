package dev.rotor.risk.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Haversine distances against published great-circle distances (mean Earth radius), to within 0.5 %. */
class GreatCircleTest {
    @ParameterizedTest(name = "{0}: {5} km")
    @CsvSource({
            // from, lat1, lon1, lat2, lon2, km
            "Berlin-Lisbon,        52.5200,   13.4050,  38.7223,   -9.1393, 2312",
            "London-New York,      51.5074,   -0.1278,  40.7128,  -74.0060, 5570",
            "Sydney-Tokyo,        -33.8688,  151.2093,  35.6762,  139.6503, 7823",
            "Paris-Paris,          48.8566,    2.3522,  48.8566,    2.3522, 0",
            "equator quarter,       0.0,       0.0,      0.0,      90.0,   10008",
            "pole to pole,         90.0,       0.0,    -90.0,       0.0,   20015",
            "antipodes,             0.0,       0.0,      0.0,     180.0,   20015",
            "across the date line,  0.0,     179.5,      0.0,    -179.5,     111",
    })
    void distanceMatchesKnownValues(String name, double lat1, double lon1, double lat2, double lon2, double km) {
        assertThat(GreatCircle.km(lat1, lon1, lat2, lon2)).isCloseTo(km, within(Math.max(1, km * 0.005)));
        assertThat(GreatCircle.km(lat2, lon2, lat1, lon1)).as("symmetric").isCloseTo(GreatCircle.km(lat1, lon1, lat2, lon2), within(1e-9));
    }
}
