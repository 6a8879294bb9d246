package dev.rotor.bench.load;

import java.util.Arrays;

/**
 * A chain's current refresh token, kept form-encoded so that it can be copied straight into the
 * next request. Buffers are reused across rotations so the hot loop allocates nothing here.
 */
final class TokenBuffer {
  private byte[] encoded = new byte[256];
  private byte[] scratch = new byte[256];
  private int length;

  /** Replaces the token with the one in the JSON body {@code body[from,to)}; false when absent. */
  boolean replaceFrom(byte[] body, int from, int to) {
    int rawLen;
    while ((rawLen = FormToken.extractString(body, from, to, FormToken.REFRESH_TOKEN_KEY, scratch)) == -2) {
      scratch = Arrays.copyOf(scratch, scratch.length * 2);
    }
    if (rawLen <= 0) {
      return false;
    }
    int encLen;
    while ((encLen = FormToken.formEncode(scratch, rawLen, encoded)) == -2) {
      encoded = Arrays.copyOf(encoded, encoded.length * 2);
    }
    length = encLen;
    return true;
  }

  byte[] bytes() {
    return encoded;
  }

  int length() {
    return length;
  }
}
