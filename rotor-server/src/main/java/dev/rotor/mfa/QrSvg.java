package dev.rotor.mfa;

import io.nayuki.qrcodegen.QrCode;

/** A QR code (encoded by Nayuki's qrcodegen) drawn as a standalone SVG document: one path of dark modules. */
public final class QrSvg {
    /** ISO/IEC 18004 asks for a quiet zone of four modules around the symbol. */
    private static final int BORDER = 4;

    private QrSvg() {}

    /** The SVG of {@code text}, with medium error correction (15%), enough for a screen. */
    public static String of(String text) {
        QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        int size = qr.size + 2 * BORDER;
        StringBuilder path = new StringBuilder(qr.size * qr.size * 4);
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                if (qr.getModule(x, y)) {
                    if (!path.isEmpty()) path.append(' ');
                    path.append('M').append(x + BORDER).append(',').append(y + BORDER).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 " + size + " " + size
                + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/><path d=\"" + path
                + "\" fill=\"#000000\"/></svg>";
    }
}
