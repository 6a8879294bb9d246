package dev.rotor.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * Byte-level helpers for the hot loop: pulling {@code "refresh_token"} out of a JSON body and
 * form-encoding it, without decoding the body into a String or running a JSON parser.
 *
 * <p>The scan relies on the server writing plain JSON strings for tokens. Escapes are handled
 * (a server may write {@code \/}) so that an unusual but valid body is not misread.
 */
final class FormToken {
  static final byte[] REFRESH_TOKEN_KEY = "\"refresh_token\"".getBytes(StandardCharsets.US_ASCII);

  private FormToken() {}

  /**
   * Copies the string value of {@code key} (a quoted JSON member name) found in {@code src[from,to)}
   * into {@code dst}. Returns the value length, -1 when absent or malformed, or -2 when {@code dst}
   * is too small.
   */
  static int extractString(byte[] src, int from, int to, byte[] key, byte[] dst) {
    int at = from;
    while ((at = indexOf(src, at, to, key)) >= 0) {
      int i = skipSpaces(src, at + key.length, to);
      // A match not followed by ':' is a value, not a member name: keep looking.
      if (i < to && src[i] == ':') {
        i = skipSpaces(src, i + 1, to);
        return i < to && src[i] == '"' ? copyString(src, i + 1, to, dst) : -1;
      }
      at += key.length;
    }
    return -1;
  }

  /**
   * Form-encodes {@code raw[0,len)} into {@code dst}, returning the encoded length or -2 when
   * {@code dst} is too small. Base64url tokens contain only unreserved characters, so for them
   * this is a plain copy; anything else is percent-encoded rather than trusted.
   */
  static int formEncode(byte[] raw, int len, byte[] dst) {
    int n = 0;
    for (int i = 0; i < len; i++) {
      int c = raw[i] & 0xff;
      if (isUnreserved(c)) {
        if (n >= dst.length) {
          return -2;
        }
        dst[n++] = (byte) c;
      } else {
        if (n + 3 > dst.length) {
          return -2;
        }
        dst[n++] = '%';
        dst[n++] = (byte) Character.toUpperCase(Character.forDigit(c >> 4, 16));
        dst[n++] = (byte) Character.toUpperCase(Character.forDigit(c & 0xf, 16));
      }
    }
    return n;
  }

  static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '_' || c == '.' || c == '*';
  }

  static int indexOf(byte[] src, int from, int to, byte[] needle) {
    byte first = needle[0];
    int last = to - needle.length;
    outer:
    for (int i = from; i <= last; i++) {
      if (src[i] != first) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (src[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int skipSpaces(byte[] src, int i, int to) {
    while (i < to && (src[i] == ' ' || src[i] == '\t' || src[i] == '\r' || src[i] == '\n')) {
      i++;
    }
    return i;
  }

  /** Copies a JSON string body starting after its opening quote; see {@link #extractString}. */
  private static int copyString(byte[] src, int i, int to, byte[] dst) {
    int n = 0;
    while (i < to) {
      int c = src[i++] & 0xff;
      if (c == '"') {
        return n;
      }
      if (c == '\\') {
        if (i >= to) {
          return -1;
        }
        c = unescape(src, i, to);
        if (c < 0) {
          return -1;
        }
        i += src[i] == 'u' ? 5 : 1;
      }
      if (n >= dst.length) {
        return -2;
      }
      dst[n++] = (byte) c;
    }
    return -1;
  }

  /** Decodes the escape whose letter is at {@code src[i]}; only ASCII results are accepted. */
  private static int unescape(byte[] src, int i, int to) {
    return switch (src[i]) {
      case '"', '\\', '/' -> src[i];
      case 'b' -> '\b';
      case 'f' -> '\f';
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      case 'u' -> {
        if (i + 4 >= to) {
          yield -1;
        }
        int value = 0;
        for (int k = 1; k <= 4; k++) {
          int digit = Character.digit(src[i + k], 16);
          if (digit < 0) {
            yield -1;
          }
          value = value * 16 + digit;
        }
        yield value < 0x80 ? value : -1;
      }
      default -> -1;
    };
  }
}
