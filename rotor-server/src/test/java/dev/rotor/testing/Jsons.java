package dev.rotor.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/** JSON parsing for assertions. */
public final class Jsons {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Jsons() {}

    public static Map<String, Object> parse(String json) {
        try {
            return MAPPER.readValue(json, new TypeReference<>() {});
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** A JSON array of objects. */
    public static List<Map<String, Object>> parseArray(String json) {
        try {
            return MAPPER.readValue(json, new TypeReference<>() {});
        } catch (java.io.IOException e) {
            throw new AssertionError("not a JSON array of objects: " + json, e);
        }
    }
}
