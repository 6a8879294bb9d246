package dev.rotor.bench.load;

import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The rotation request with everything but the token and its length precomputed as bytes, so that
 * writing a request is a few array copies into a reused buffer.
 *
 * <p>The token goes last in the body so that the constant part stays one contiguous prefix.
 */
final class RequestTemplate {
  private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final byte[] headPrefix;
  private final byte[] bodyPrefix;

  RequestTemplate(Target target, String clientId) {
    this.headPrefix = ("POST " + target.tokenPath() + " HTTP/1.1\r\n"
        + "Host: " + target.hostHeader() + "\r\n"
        + "Content-Type: application/x-www-form-urlencoded\r\n"
        + "Accept: application/json\r\n"
        + "Content-Length: ").getBytes(StandardCharsets.US_ASCII);
    this.bodyPrefix = ("grant_type=refresh_token&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
        + "&refresh_token=").getBytes(StandardCharsets.US_ASCII);
  }

  /** Upper bound of the request size for a token of {@code tokenLength} encoded bytes. */
  int maxSize(int tokenLength) {
    return headPrefix.length + 10 + HEADER_END.length + bodyPrefix.length + tokenLength;
  }

  /** Clears {@code out}, writes the full request into it and flips it for writing to a channel. */
  void write(ByteBuffer out, TokenBuffer token) {
    out.clear();
    out.put(headPrefix);
    putDecimal(out, bodyPrefix.length + token.length());
    out.put(HEADER_END);
    out.put(bodyPrefix);
    out.put(token.bytes(), 0, token.length());
    out.flip();
  }

  private static void putDecimal(ByteBuffer out, int value) {
    int divisor = 1;
    while (divisor <= value / 10) {
      divisor *= 10;
    }
    for (; divisor > 0; divisor /= 10) {
      out.put((byte) ('0' + (value / divisor) % 10));
    }
  }
}
