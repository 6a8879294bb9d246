package dev.rotor.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import io.nayuki.qrcodegen.QrCode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class QrSvgTest {
    private static final String URI = "otpauth://totp/Rotor:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Rotor&algorithm=SHA1&digits=6&period=30";

    @Test
    void aWellFormedSvgWithAQuietZoneAndOneSquarePerDarkModule() throws Exception {
        String svg = QrSvg.of(URI);
        QrCode qr = QrCode.encodeText(URI, QrCode.Ecc.MEDIUM);

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        int size = qr.size + 8;
        assertThat(doc.getDocumentElement().getAttribute("viewBox")).isEqualTo("0 0 " + size + " " + size);
        // Every dark module of the symbol is one unit square at its place, shifted by the border; nothing else is drawn.
        String d = doc.getElementsByTagName("path").item(0).getAttributes().getNamedItem("d").getNodeValue();
        Matcher m = Pattern.compile("M(\\d+),(\\d+)h1v1h-1z").matcher(d);
        int squares = 0;
        boolean[][] drawn = new boolean[qr.size][qr.size];
        while (m.find()) {
            drawn[Integer.parseInt(m.group(2)) - 4][Integer.parseInt(m.group(1)) - 4] = true;
            squares++;
        }
        int dark = 0;
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                assertThat(drawn[y][x]).as("module %d,%d", x, y).isEqualTo(qr.getModule(x, y));
                if (qr.getModule(x, y)) dark++;
            }
        }
        assertThat(squares).isEqualTo(dark).isPositive();
    }

    @Test
    void theSvgHoldsNoScriptAndNotTheTextItEncodes() {
        String svg = QrSvg.of(URI);

        assertThat(svg).doesNotContain("<script").doesNotContain("GEZDGNBV").startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"");
    }
}
