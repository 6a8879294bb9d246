package dev.rotor.mfa;

import java.util.List;

/** The recovery codes a confirmation issued, in the clear this once; {@link #toString} prints none. */
public record IssuedRecoveryCodes(List<String> codes) {
    public IssuedRecoveryCodes {
        codes = List.copyOf(codes);
    }

    @Override
    public String toString() {
        return "IssuedRecoveryCodes[" + codes.size() + " codes]";
    }
}
