package dev.rotor.oauth;

import dev.rotor.risk.source.DeviceIds;
import dev.rotor.audit.RequestInfo;
import java.util.Map;

/**
 * A token-endpoint request after form parsing: every parameter appeared at most once (RFC 6749 §3.2).
 *
 * @param params the form parameters other than client credentials ({@code grant_type} among them)
 */
public record TokenRequest(String grantType, Map<String, String> params, ClientCredentials credentials, RequestInfo request) {
    public TokenRequest {
        params = Map.copyOf(params);
    }

    public String param(String name) {
        String v = params.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** The parameter, or {@code invalid_request} naming it. */
    public String required(String name) {
        String v = param(name);
        if (v == null) throw new OAuthException(ErrorCode.INVALID_REQUEST, "missing parameter: " + name);
        return v;
    }

    /**
     * Where the request came from, with the native app's device: {@link DeviceIds#nativeHash} of its
     * {@value DeviceIds#NATIVE_PARAMETER} for {@code clientId}; without one (or a malformed one), no device.
     */
    public RequestInfo fromDevice(String clientId) {
        return request.withDevice(DeviceIds.nativeHash(clientId, param(DeviceIds.NATIVE_PARAMETER)).orElse(null));
    }

    @Override
    public String toString() {
        return "TokenRequest[grantType=" + grantType + ", client=" + credentials.clientId() + "]";
    }
}
