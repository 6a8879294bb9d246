package dev.rotor.cli;

/**
 * Stored values made safe to print on an operator's terminal. Usernames typed at the sign-in form, User-Agent
 * headers and anything else a client chose may hold a newline (a forged line in {@code audit tail}), escape
 * sequences (ESC, CSI, OSC ... BEL: colours, a rewritten window title, a hidden cursor, on some terminals worse) or
 * bidirectional controls (text that reads differently from what it is). Each such character is written as a
 * visible escape instead, and the backslash is doubled so that typing an escape cannot fake one.
 */
final class TerminalText {
    private TerminalText() {}

    /**
     * {@code value} with every such character escaped: {@code \n \r \t}; the rest of C0, DEL and C1 as {@code \x1b};
     * U+2028, U+2029, the bidi controls and unpaired surrogates as a backslash, {@code u} and four hex digits; and a
     * backslash as two. Everything else, other scripts and emoji included, is left as it is.
     */
    static String escape(String value) {
        StringBuilder sb = null;
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            int next = i + Character.charCount(cp);
            String escaped = escaped(cp);
            if (escaped != null && sb == null) sb = new StringBuilder(value.length() + 16).append(value, 0, i);
            if (sb != null) {
                if (escaped != null) sb.append(escaped);
                else sb.appendCodePoint(cp);
            }
            i = next;
        }
        return sb == null ? value : sb.toString();
    }

    /** The escape for {@code cp}, or null when it prints as itself. */
    private static String escaped(int cp) {
        return switch (cp) {
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> {
                if (cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f)) yield String.format("\\x%02x", cp); // C0, DEL, C1 (0x9b: CSI)
                if (cp == 0x2028 || cp == 0x2029                  // line and paragraph separators
                        || (cp >= 0x202a && cp <= 0x202e)         // bidi embeddings and overrides
                        || (cp >= 0x2066 && cp <= 0x2069)         // bidi isolates
                        || cp == 0x200e || cp == 0x200f || cp == 0x061c // bidi marks
                        || (cp >= 0xd800 && cp <= 0xdfff)) {      // a surrogate without its pair
                    yield String.format("\\u%04x", cp);
                }
                yield null;
            }
        };
    }
}
