package dev.rotor.cli;

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

    private static void write(PrintWriter to, String format, Object[] values) {
        Object[] escaped = new Object[values.length];
        for (int i = 0; i < values.length; i++) escaped[i] = TerminalText.escape(String.valueOf(values[i]));
        to.println(String.format(Locale.ROOT, format, escaped));
        to.flush();
    }
}
