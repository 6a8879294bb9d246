package dev.rotor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TerminalTextTest {

    /** What it is, the stored value, what the operator sees (each as a Java literal). */
    static Stream<Arguments> controls() {
        return Stream.of(
                arguments("newline", "alice\nlogin.failed forged", "alice\\nlogin.failed forged"),
                arguments("carriage return", "a\rb", "a\\rb"),
                arguments("tab", "a\tb", "a\\tb"),
                arguments("other C0", "\u0000\u0001\u0007\u0008\u001f", "\\x00\\x01\\x07\\x08\\x1f"),
                arguments("ESC (CSI colours)", "\u001b[31mred\u001b[0m", "\\x1b[31mred\\x1b[0m"),
                arguments("OSC window title ended by BEL", "\u001b]0;owned\u0007", "\\x1b]0;owned\\x07"),
                arguments("OSC 8 hyperlink ended by ST", "\u001b]8;;http://evil\u001b\\link", "\\x1b]8;;http://evil\\x1b\\\\link"),
                arguments("DEL", "del\u007f", "del\\x7f"),
                arguments("C1, 8-bit CSI and OSC", "\u0080\u009b2J\u009d\u009f", "\\x80\\x9b2J\\x9d\\x9f"),
                arguments("line and paragraph separators", "a\u2028b\u2029c", "a\\u2028b\\u2029c"),
                arguments("bidi embeddings and overrides", "\u202aa\u202bb\u202cc\u202dd\u202ee", "\\u202aa\\u202bb\\u202cc\\u202dd\\u202ee"),
                arguments("bidi isolates", "\u2066a\u2067b\u2068c\u2069", "\\u2066a\\u2067b\\u2068c\\u2069"),
                arguments("bidi marks", "\u200ea\u200fb\u061c", "\\u200ea\\u200fb\\u061c"),
                arguments("a typed backslash is doubled, so typing cannot fake an escape", "C:\\temp\\n", "C:\\\\temp\\\\n"),
                arguments("unpaired surrogate", "x\ud800y", "x\\ud800y"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("controls")
    void escapesWhatATerminalWouldObey(String what, String value, String printed) {
        assertThat(TerminalText.escape(value)).isEqualTo(printed);
        assertThat(TerminalText.escape(value).chars()).as("nothing a terminal acts on is left")
                .allMatch(c -> c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f) && !(c >= 0x2028 && c <= 0x202e)
                        && !(c >= 0x2066 && c <= 0x2069) && c != 0x200e && c != 0x200f && c != 0x061c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "Zoë Ångström", "名前", "user@example.test", "Mozilla/5.0 (X11; Linux x86_64)", "emoji 🔑", "100% {a=b}", ""})
    void leavesPrintableTextAlone(String value) {
        assertThat(TerminalText.escape(value)).isSameAs(value);
    }

    @Test
    void theTerminalEscapesEveryValueButNotItsFormat() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Terminal terminal = new Terminal(new PrintWriter(out), new PrintWriter(err));

        terminal.line("%-8s|%s|%s", "a\nb", 42, null);
        terminal.error("no user %s", "x\u001b[2J");

        assertThat(out.toString()).isEqualTo("a\\nb    |42|null" + System.lineSeparator());
        assertThat(err.toString()).isEqualTo("rotor: no user x\\x1b[2J" + System.lineSeparator());
    }
}
