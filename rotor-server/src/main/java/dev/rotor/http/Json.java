package dev.rotor.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthException;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** JSON in and out of handlers. */
final class Json {
    /** Strict: trailing content and duplicate keys are refused, as repeated form fields and cookies are. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {}

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void send(Context ctx, int status, Map<String, ?> body) {
        ctx.status(status).contentType("application/json").result(write(body));
    }

    /** The request body as a JSON object; {@code invalid_request} when it is not one. */
    static JsonNode object(Context ctx) {
        if (!RequestBody.hasMediaType(ctx, RequestBody.JSON)) {
            throw HttpFailure.UNSUPPORTED_MEDIA_TYPE.refusal("Content-Type must be application/json");
        }
        String text = utf8(RequestBody.bytes(ctx));
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || !node.isObject()) throw new OAuthException(ErrorCode.INVALID_REQUEST, "body must be a JSON object");
            return node;
        } catch (java.io.IOException e) {
            throw new OAuthException(ErrorCode.INVALID_REQUEST, "body is not valid JSON");
        }
    }

    /**
     * RFC 8259 §8.1: JSON exchanged between systems is UTF-8, without a byte order mark. Decoded here, strictly (RFC
     * 3629: no overlong forms, no encoded surrogates, nothing past U+10FFFF), because Jackson reading bytes would
     * guess UTF-16 or UTF-32 from the first bytes and would read an overlong {@code C1 A1} as {@code a}: two readers
     * of one body must not see different text.
     */
    private static String utf8(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new OAuthException(ErrorCode.INVALID_REQUEST, "body is not valid UTF-8", "body is not valid UTF-8: " + e);
        }
        if (text.startsWith("\uFEFF")) throw new OAuthException(ErrorCode.INVALID_REQUEST, "body is not valid JSON", "byte order mark");
        return text;
    }

    /** A string member, null when absent; {@code invalid_request} when present but not a string. */
    static String string(JsonNode object, String field) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new OAuthException(ErrorCode.INVALID_REQUEST, field + " must be a string");
        return v.asText();
    }
}
