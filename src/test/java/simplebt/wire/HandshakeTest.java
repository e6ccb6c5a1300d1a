package simplebt.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import simplebt.metainfo.InfoHash;

class HandshakeTest {
    private static final InfoHash HASH = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");

    @Test
    void writesProtocolReservedHashAndPeerId() throws IOException {
        byte[] peerId = "-SB0001-abcdefghijkl".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Handshake.ours(HASH, peerId).write(new DataOutputStream(out));
        byte[] wire = out.toByteArray();
        assertThat(wire).hasSize(Handshake.LENGTH);
        assertThat(wire[0]).isEqualTo((byte) 19);                                                    // pstrlen
        assertThat(Arrays.copyOfRange(wire, 1, 20)).isEqualTo("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
        assertThat(Arrays.copyOfRange(wire, 20, 28)).containsExactly(0, 0, 0, 0, 0, 0x10, 0, 0x04);   // BEP 10 bit, BEP 6 fast bit
        assertThat(Arrays.copyOfRange(wire, 28, 48)).isEqualTo(HASH.bytes());
        assertThat(Arrays.copyOfRange(wire, 48, 68)).isEqualTo(peerId);
        Handshake back = Handshake.read(new DataInputStream(new ByteArrayInputStream(wire)));
        assertThat(back).isEqualTo(Handshake.ours(HASH, peerId));
        assertThat(back.supportsExtensions()).isTrue();
        assertThat(back.supportsFast()).isTrue();
    }

    @Test
    void fastBitIsByteSevenMaskFour() {
        byte[] reserved = new byte[8];
        reserved[5] = 0x10;
        assertThat(new Handshake(reserved, HASH, new byte[20]).supportsFast()).isFalse();
        reserved[7] = 0x04;
        assertThat(new Handshake(reserved, HASH, new byte[20]).supportsFast()).isTrue();
    }

    @Test
    void rejectsOtherProtocols() {
        byte[] wire = new byte[68];
        wire[0] = 19;
        System.arraycopy("BitTorrent protocoX".getBytes(StandardCharsets.US_ASCII), 0, wire, 1, 19);
        assertThatThrownBy(() -> Handshake.read(new DataInputStream(new ByteArrayInputStream(wire))))
                .isInstanceOf(WireException.class).hasMessageContaining("got 'BitTorrent protocoX'");
        wire[0] = 0x16; // e.g. a TLS hello
        assertThatThrownBy(() -> Handshake.read(new DataInputStream(new ByteArrayInputStream(wire))))
                .hasMessage("handshake: protocol string length must be 19, got 22");
    }

    @Test
    void peerIdsStartWithOurClientTagAndDiffer() {
        byte[] a = Handshake.newPeerId();
        assertThat(new String(a, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("-SJ0001-"); // BEP 20 lists -SB for Swiftbit; SJ is free
        assertThat(a).hasSize(20).isNotEqualTo(Handshake.newPeerId());
    }

    @Test
    void extensionHandshakeRoundTrips() throws WireException {
        ExtensionHandshake ext = new ExtensionHandshake(Map.of("ut_pex", 1), Optional.of("SimpleBT 0.1"),
                Optional.of(6881), Optional.of(500));
        assertThat(new String(ext.encode(), StandardCharsets.US_ASCII))
                .isEqualTo("d1:md6:ut_pexi1ee1:pi6881e4:reqqi500e1:v12:SimpleBT 0.1e");
        assertThat(ExtensionHandshake.decode(ext.encode())).isEqualTo(ext);
    }

    @Test
    void extensionHandshakeIgnoresUnknownKeysAndRejectsNonDicts() throws WireException {
        ExtensionHandshake ext = ExtensionHandshake.decode("d1:md11:ut_metadatai3ee6:yourip4:\u007f\u0000\u0000\u0001e"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(ext.extensions()).containsEntry("ut_metadata", 3);
        assertThat(ext.requestQueue()).isEmpty();
        assertThatThrownBy(() -> ExtensionHandshake.decode("i1e".getBytes(StandardCharsets.US_ASCII)))
                .hasMessage("extension handshake must be a dictionary");
    }
}
