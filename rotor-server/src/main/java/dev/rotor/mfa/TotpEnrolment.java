package dev.rotor.mfa;

/**
 * What a started enrolment shows the user once: the secret (Base32, to type in), the key URI and its QR code (to
 * scan). All three carry the secret, so none is logged and {@link #toString} prints none.
 */
public record TotpEnrolment(String secret, String otpauthUri, String qrSvg) {
    @Override
    public String toString() {
        return "TotpEnrolment[***]";
    }
}
