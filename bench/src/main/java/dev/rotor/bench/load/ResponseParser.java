package dev.rotor.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * Minimal incremental HTTP/1.1 response parser for one request at a time on a keep-alive
 * connection. It understands exactly what the benchmark needs: the status line, Content-Length,
 * {@code Connection: close}, and bodies delimited by the connection closing. Transfer-Encoding
 * (chunked) is detected and reported as unsupported rather than mis-parsed.
 *
 * <p>It is fed the whole response-so-far each time ({@code buf[0,len)}), remembers where it
 * stopped looking for the end of the headers, and allocates nothing.
 */
final class ResponseParser {

  enum Outcome {
    NEED_MORE,
    COMPLETE,
    /** Not a well-formed HTTP/1.x response, or bytes beyond the response (we never pipeline). */
    MALFORMED,
    /** Transfer-Encoding present: not supported by this client. */
    CHUNKED
  }

  private static final byte[] CONTENT_LENGTH = bytes("content-length");
  private static final byte[] TRANSFER_ENCODING = bytes("transfer-encoding");
  private static final byte[] CONNECTION = bytes("connection");
  private static final byte[] CLOSE = bytes("close");

  private int scanFrom;
  private int headerEnd;
  private int status;
  private long contentLength;
  private boolean connectionClose;
  private boolean untilClose;

  ResponseParser() {
    reset();
  }

  void reset() {
    scanFrom = 0;
    headerEnd = -1;
    status = 0;
    contentLength = -1;
    connectionClose = false;
    untilClose = false;
  }

  Outcome parse(byte[] buf, int len) {
    if (headerEnd < 0) {
      int end = findHeaderEnd(buf, len);
      if (end < 0) {
        return Outcome.NEED_MORE;
      }
      headerEnd = end;
      Outcome headers = parseHead(buf, end);
      if (headers != Outcome.COMPLETE) {
        return headers;
      }
    }
    if (untilClose) {
      return Outcome.NEED_MORE;
    }
    long expected = headerEnd + contentLength;
    if (len < expected) {
      return Outcome.NEED_MORE;
    }
    return len == expected ? Outcome.COMPLETE : Outcome.MALFORMED;
  }

  /** The peer closed the connection: complete only if the body was delimited by the close. */
  Outcome onEof() {
    return headerEnd >= 0 && untilClose ? Outcome.COMPLETE : Outcome.MALFORMED;
  }

  int status() {
    return status;
  }

  /** Whether the connection must not be reused after this response. */
  boolean connectionClose() {
    return connectionClose;
  }

  int bodyStart() {
    return headerEnd;
  }

  boolean headersComplete() {
    return headerEnd >= 0;
  }

  private int findHeaderEnd(byte[] buf, int len) {
    // Resume three bytes back: the terminator may straddle two reads.
    for (int i = Math.max(0, scanFrom - 3); i + 3 < len; i++) {
      if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
        return i + 4;
      }
    }
    scanFrom = len;
    return -1;
  }

  /** Parses the status line and headers in {@code buf[0,end)}; COMPLETE means "headers ok". */
  private Outcome parseHead(byte[] buf, int end) {
    int lineEnd = lineEnd(buf, 0, end);
    if (!parseStatusLine(buf, lineEnd)) {
      return Outcome.MALFORMED;
    }
    boolean sawLength = false;
    for (int start = lineEnd + 2; start < end - 2; start = lineEnd + 2) {
      lineEnd = lineEnd(buf, start, end);
      int colon = indexOf(buf, start, lineEnd, (byte) ':');
      if (colon <= start) {
        return Outcome.MALFORMED;
      }
      int valueStart = trimStart(buf, colon + 1, lineEnd);
      int valueEnd = trimEnd(buf, valueStart, lineEnd);
      if (nameIs(buf, start, colon, CONTENT_LENGTH)) {
        contentLength = parseLength(buf, valueStart, valueEnd);
        if (contentLength < 0) {
          return Outcome.MALFORMED;
        }
        sawLength = true;
      } else if (nameIs(buf, start, colon, TRANSFER_ENCODING)) {
        return Outcome.CHUNKED;
      } else if (nameIs(buf, start, colon, CONNECTION) && containsIgnoreCase(buf, valueStart, valueEnd, CLOSE)) {
        connectionClose = true;
      }
    }
    if (!sawLength) {
      if (status < 200 || status == 204 || status == 304) {
        contentLength = 0;
      } else {
        // No length and no Transfer-Encoding: the body runs to the end of the connection.
        untilClose = true;
        connectionClose = true;
      }
    }
    return Outcome.COMPLETE;
  }

  /** "HTTP/1.x SSS ..." — HTTP/1.0 responses are treated as non-persistent. */
  private boolean parseStatusLine(byte[] buf, int lineEnd) {
    if (lineEnd < 12 || !startsWith(buf, "HTTP/1.") || buf[8] != ' ') {
      return false;
    }
    int code = 0;
    for (int i = 9; i < 12; i++) {
      int digit = buf[i] - '0';
      if (digit < 0 || digit > 9) {
        return false;
      }
      code = code * 10 + digit;
    }
    if (lineEnd > 12 && buf[12] != ' ') {
      return false;
    }
    status = code;
    connectionClose = buf[7] == '0';
    return true;
  }

  private static int lineEnd(byte[] buf, int from, int end) {
    for (int i = from; i + 1 < end; i++) {
      if (buf[i] == '\r' && buf[i + 1] == '\n') {
        return i;
      }
    }
    return end - 2;
  }

  private static long parseLength(byte[] buf, int from, int to) {
    if (from >= to || to - from > 12) {
      return -1;
    }
    long value = 0;
    for (int i = from; i < to; i++) {
      int digit = buf[i] - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }

  private static boolean nameIs(byte[] buf, int from, int to, byte[] lowerName) {
    if (to - from != lowerName.length) {
      return false;
    }
    for (int i = 0; i < lowerName.length; i++) {
      if (toLower(buf[from + i]) != lowerName[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean containsIgnoreCase(byte[] buf, int from, int to, byte[] lowerNeedle) {
    outer:
    for (int i = from; i + lowerNeedle.length <= to; i++) {
      for (int j = 0; j < lowerNeedle.length; j++) {
        if (toLower(buf[i + j]) != lowerNeedle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static int indexOf(byte[] buf, int from, int to, byte b) {
    for (int i = from; i < to; i++) {
      if (buf[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static int trimStart(byte[] buf, int from, int to) {
    while (from < to && (buf[from] == ' ' || buf[from] == '\t')) {
      from++;
    }
    return from;
  }

  private static int trimEnd(byte[] buf, int from, int to) {
    while (to > from && (buf[to - 1] == ' ' || buf[to - 1] == '\t')) {
      to--;
    }
    return to;
  }

  private static boolean startsWith(byte[] buf, String prefix) {
    for (int i = 0; i < prefix.length(); i++) {
      if (buf[i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static byte toLower(byte b) {
    return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
  }

  private static byte[] bytes(String ascii) {
    return ascii.getBytes(StandardCharsets.US_ASCII);
  }
}
