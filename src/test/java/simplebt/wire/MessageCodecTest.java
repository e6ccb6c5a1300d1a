package simplebt.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MessageCodecTest {
    // 10 pieces of 32 KiB, the last one 1000 bytes: 9 * 32768 + 1000
    private static final TorrentShape SHAPE = new TorrentShape(10, 32768, 9L * 32768 + 1000);
    private static final MessageCodec CODEC = new MessageCodec(SHAPE);

    static Stream<Arguments> messages() {
        return Stream.of(
                Arguments.of(new Message.KeepAlive(), bytes(0, 0, 0, 0)),                  // <len=0>
                Arguments.of(new Message.Choke(), bytes(0, 0, 0, 1, /* id */ 0)),
                Arguments.of(new Message.Unchoke(), bytes(0, 0, 0, 1, /* id */ 1)),
                Arguments.of(new Message.Interested(), bytes(0, 0, 0, 1, /* id */ 2)),
                Arguments.of(new Message.NotInterested(), bytes(0, 0, 0, 1, /* id */ 3)),
                Arguments.of(new Message.Have(9), bytes(0, 0, 0, 5, /* id */ 4, /* index */ 0, 0, 0, 9)),
                Arguments.of(new Message.Bitfield(bytes(0b1010_0000, 0b0100_0000)),
                        bytes(0, 0, 0, 3, /* id */ 5, /* pieces 0,2 */ 0xa0, /* piece 9 */ 0x40)),
                Arguments.of(new Message.Request(1, 16384, 16384),
                        bytes(0, 0, 0, 13, /* id */ 6, /* index */ 0, 0, 0, 1, /* begin */ 0, 0, 0x40, 0, /* length */ 0, 0, 0x40, 0)),
                Arguments.of(new Message.Piece(9, 996, bytes(0xde, 0xad, 0xbe, 0xef)),
                        bytes(0, 0, 0, 13, /* id */ 7, /* index */ 0, 0, 0, 9, /* begin */ 0, 0, 3, 0xe4, /* block */ 0xde, 0xad, 0xbe, 0xef)),
                Arguments.of(new Message.Cancel(0, 0, 100),
                        bytes(0, 0, 0, 13, /* id */ 8, /* index */ 0, 0, 0, 0, /* begin */ 0, 0, 0, 0, /* length */ 0, 0, 0, 100)),
                Arguments.of(new Message.Suggest(3), bytes(0, 0, 0, 5, /* id */ 0x0d, /* index */ 0, 0, 0, 3)),
                Arguments.of(new Message.HaveAll(), bytes(0, 0, 0, 1, /* id */ 0x0e)),
                Arguments.of(new Message.HaveNone(), bytes(0, 0, 0, 1, /* id */ 0x0f)),
                Arguments.of(new Message.Reject(9, 0, 1000),
                        bytes(0, 0, 0, 13, /* id */ 0x10, /* index */ 0, 0, 0, 9, /* begin */ 0, 0, 0, 0, /* length */ 0, 0, 3, 0xe8)),
                Arguments.of(new Message.AllowedFast(7), bytes(0, 0, 0, 5, /* id */ 0x11, /* index */ 0, 0, 0, 7)),
                Arguments.of(new Message.Extended(0, bytes('d', 'e')),
                        bytes(0, 0, 0, 4, /* id */ 20, /* ext id */ 0, /* payload */ 'd', 'e')));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void writesExactBytes(Message message, byte[] wire) throws IOException {
        assertThat(encode(message)).containsExactly(wire);
    }

    @ParameterizedTest
    @MethodSource("messages")
    void readsExactBytesBack(Message message, byte[] wire) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(wire));
        assertThat(CODEC.read(in)).isEqualTo(message);
        assertThat(in.available()).isZero();
    }

    @Test
    void writesARequestFromItsFieldsAsTheRecordWould() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MessageCodec.writeRequest(new DataOutputStream(out), 1, 16384, 16384);
        assertThat(out.toByteArray()).containsExactly(bytes(0, 0, 0, 13, /* id */ 6, /* index */ 0, 0, 0, 1,
                /* begin */ 0, 0, 0x40, 0, /* length */ 0, 0, 0x40, 0));
    }

    @Test
    void skipsUnknownIdsAndStaysInStep() throws IOException {
        byte[] wire = bytes(0, 0, 0, 3, /* id 9 = BEP 5 port */ 9, 0x1a, 0xe1, /* then */ 0, 0, 0, 1, 1);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(wire));
        assertThat(CODEC.read(in)).isEqualTo(new Message.Unknown(9, 2));
        assertThat(CODEC.read(in)).isEqualTo(new Message.Unchoke());
    }

    @Test
    void readsPieceIntoTheGivenBuffer() throws IOException {
        byte[] reused = new byte[2];
        byte[] wire = bytes(0, 0, 0, 11, 7, 0, 0, 0, 0, 0, 0, 0, 0, 5, 6);
        Message m = CODEC.read(new DataInputStream(new ByteArrayInputStream(wire)), n -> reused);
        assertThat(((Message.Piece) m).block()).isSameAs(reused).containsExactly(5, 6);
    }

    @Test
    void rejectsFrameTooLongForItsId() {
        assertRejected(bytes(0, 0, 0, 2, /* choke */ 0, 0), "message id 0 frame length must be 1, got 2");
        assertRejected(bytes(0, 0, 0, 6, /* have */ 4, 0, 0, 0, 1, 0), "have frame length must be 5, got 6");
    }

    @Test
    void rejectsHugeLengthBeforeAllocating() {
        assertRejected(bytes(0x7f, 0xff, 0xff, 0xff, /* piece */ 7), "piece frame length 2147483647 is not 10..16393");
        assertRejected(bytes(0xff, 0xff, 0xff, 0xff, 7), "frame length 4294967295 is over the limit");
        assertRejected(bytes(0, 1, 0, 0, /* unknown */ 99), "unknown message id 99 with 65536 bytes (limit 16397)");
        assertRejected(bytes(0, 1, 0, 0, /* extended */ 20), "extended frame length 65536 is not 2..17410");
    }

    @Test
    void rejectsBitfieldOfWrongSizeOrWithSpareBits() {
        assertRejected(bytes(0, 0, 0, 2, 5, 0xff), "bitfield frame length must be 3, got 2");
        assertRejected(bytes(0, 0, 0, 3, 5, 0xff, 0xe0), "bitfield has spare bits set after piece 9");
    }

    @Test
    void rejectsPieceIndexOutOfRange() {
        assertRejected(bytes(0, 0, 0, 5, 4, 0, 0, 0, 10), "have: piece index 10 is not 0..9");
        assertRejected(bytes(0, 0, 0, 5, 4, 0xff, 0xff, 0xff, 0xff), "have: piece index -1 is not 0..9");
        assertRejected(bytes(0, 0, 0, 5, 0x0d, 0, 0, 0, 10), "suggest: piece index 10 is not 0..9");
        assertRejected(bytes(0, 0, 0, 5, 0x11, 0x80, 0, 0, 0), "allowed fast: piece index -2147483648 is not 0..9");
    }

    @Test
    void rejectsFastMessagesOfWrongLength() {
        assertRejected(bytes(0, 0, 0, 2, /* have all */ 0x0e, 0), "message id 14 frame length must be 1, got 2");
        assertRejected(bytes(0, 0, 0, 2, /* have none */ 0x0f, 0), "message id 15 frame length must be 1, got 2");
        assertRejected(bytes(0, 0, 0, 9, /* reject */ 0x10, 0, 0, 0, 0, 0, 0, 0, 0), "reject frame length must be 13, got 9");
        assertRejected(bytes(0, 0, 0, 13, 0x10, 0, 0, 0, 9, 0, 0, 3, 0x84, 0, 0, 0, 200),
                "reject: block 900+200 is outside piece 9 of 1000 bytes");
    }

    @Test
    void rejectsBlocksOutsideThePiece() {
        // last piece is 1000 bytes: 900 + 200 overruns it
        assertRejected(bytes(0, 0, 0, 13, 6, 0, 0, 0, 9, 0, 0, 3, 0x84, 0, 0, 0, 200),
                "request: block 900+200 is outside piece 9 of 1000 bytes");
        assertRejected(bytes(0, 0, 0, 13, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0),
                "request: block length 32768 is not 1..16384");
        assertRejected(bytes(0, 0, 0, 13, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                "cancel: block length 0 is not 1..16384");
        assertRejected(bytes(0, 0, 0, 13, 7, 0, 0, 0, 9, 0, 0, 3, 0xe5, 1, 2, 3, 4),
                "piece: block 997+4 is outside piece 9 of 1000 bytes");
    }

    @Test
    void truncatedFrameIsEndOfStream() {
        assertThatThrownBy(() -> CODEC.read(new DataInputStream(new ByteArrayInputStream(bytes(0, 0, 0, 5, 4, 0, 0)))))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> CODEC.read(new DataInputStream(new ByteArrayInputStream(bytes(0, 0)))))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void recordsRejectImpossibleValues() {
        assertThatThrownBy(() -> new Message.Have(-1)).hasMessageContaining("piece index must not be negative");
        assertThatThrownBy(() -> new Message.Request(0, 0, 0)).hasMessageContaining("block length must be positive");
        assertThatThrownBy(() -> new Message.Extended(256, new byte[0])).hasMessageContaining("0..255");
    }

    private static void assertRejected(byte[] wire, String reason) {
        assertThatThrownBy(() -> CODEC.read(new DataInputStream(new ByteArrayInputStream(wire))))
                .isInstanceOf(WireException.class).hasMessage(reason);
    }

    static byte[] encode(Message m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CODEC.write(new DataOutputStream(out), m);
        return out.toByteArray();
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
