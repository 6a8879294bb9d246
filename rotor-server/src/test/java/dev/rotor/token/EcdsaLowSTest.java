package dev.rotor.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class EcdsaLowSTest {
    private static final BigInteger N = Curve.P_256.toECParameterSpec().getOrder();
    private static final byte[] R = HexFormat.of().parseHex("0102030405060708091011121314151617181920212223242526272829303132");

    private static byte[] signature(BigInteger s) {
        byte[] rs = Arrays.copyOf(R, 64);
        byte[] b = s.toByteArray();
        int length = Math.min(b.length, 32);
        System.arraycopy(b, b.length - length, rs, 64 - length, length);
        return rs;
    }

    @Test
    void isLowSWhenSIsAtMostHalfTheOrderThenTrue() {
        assertThat(EcdsaLowS.isLowS(signature(BigInteger.ONE))).isTrue();
        assertThat(EcdsaLowS.isLowS(signature(N.shiftRight(1)))).isTrue();
        assertThat(EcdsaLowS.isLowS(signature(N.shiftRight(1).add(BigInteger.ONE)))).isFalse();
        assertThat(EcdsaLowS.isLowS(signature(N.subtract(BigInteger.ONE)))).isFalse();
    }

    @Test
    void isLowSWhenNotSixtyFourBytesThenFalse() {
        assertThat(EcdsaLowS.isLowS(new byte[63])).isFalse();
        assertThat(EcdsaLowS.isLowS(new byte[65])).isFalse();
        assertThat(EcdsaLowS.isLowS(new byte[0])).isFalse();
    }

    @Test
    void toLowSWhenSIsHighThenNMinusSRightAlignedAndRKept() {
        byte[] low = EcdsaLowS.toLowS(signature(N.subtract(BigInteger.valueOf(5))));

        assertThat(Arrays.copyOfRange(low, 0, 32)).isEqualTo(R);
        assertThat(Arrays.copyOfRange(low, 32, 64)).isEqualTo(HexFormat.of().parseHex("00".repeat(31) + "05"));
    }

    @Test
    void toLowSWhenSIsJustAboveHalfTheOrderThenNMinusSIsLow() {
        BigInteger s = N.shiftRight(1).add(BigInteger.ONE);

        byte[] low = EcdsaLowS.toLowS(signature(s));

        assertThat(low).hasSize(64);
        assertThat(new BigInteger(1, Arrays.copyOfRange(low, 32, 64))).isEqualTo(N.subtract(s));
        assertThat(EcdsaLowS.isLowS(low)).isTrue();
    }

    @Test
    void toLowSWhenSIsLowThenUnchanged() {
        byte[] rs = signature(N.shiftRight(1));

        assertThat(EcdsaLowS.toLowS(rs)).isEqualTo(rs);
    }
}
