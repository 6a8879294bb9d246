package dev.rotor.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Everything the commands print goes through here. A command gives a format of its own and the values to put in
 * it; each value is escaped first ({@link TerminalText#escape}), so that no stored value can start a line or send
 * a control sequence to the operator's terminal. An architecture test keeps other CLI code from printing directly.
 */
final class Terminal {
    private final PrintWriter out;
    private final PrintWriter err;

    Terminal(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /**
     * One line on standard output.
     *
     * @param format a constant of the command, with {@code %s} conversions only (widths allowed: {@code %-24s});
     *               never a value
     * @param values printed with {@link String#valueOf(Object)}, then escaped
     */
    void line(String format, Object... values) {
        write(out, format, values);
    }

    /** One line on standard error, after {@code rotor: }; as {@link #line}. */
    void error(String format, Object... values) {
        write(err, "rotor: " + format, values);
    }

    /** One line on standard error, as {@link #line}: what a command says about what it printed on standard output. */
    void info(String format, Object... values) {
        write(err, format, values);
    }

    /**
     * {@code value} as one line of JSON on standard output. Every character outside printable ASCII is written as a
     * {@code \\uXXXX} escape, so that a stored value reaches the terminal as text only (as {@link TerminalText} does for
     * plain lines), and a JSON parser reads it back unchanged.
     */
    void json(Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage());
        }
        out.flush();
    }

    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    static {
        // ESCAPE_NON_ASCII covers C1, U+2028 and the bidi controls; DEL is ASCII, so it is added here.
        int[] escapes = CharacterEscapes.standardAsciiEscapesForJSON();
        escapes[0x7f] = CharacterEscapes.ESCAPE_STANDARD;
        JSON.getFactory().setCharacterEscapes(new CharacterEscapes() {
            @Override
            public int[] getEscapeCodesForAscii() {
                return escapes;
            }

            @Override
            public com.fasterxml.jackson.core.SerializableString getEscapeSequence(int ch) {
                return null;
            }
        });
    }

    private static void write(PrintWriter to, String format, Object[] values) {
        Object[] escaped = new Object[values.length];
        for (int i = 0; i < values.length; i++) escaped[i] = TerminalText.escape(String.valueOf(values[i]));
        to.println(String.format(Locale.ROOT, format, escaped));
        to.flush();
    }
}
