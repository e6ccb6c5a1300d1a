package simplebt.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import simplebt.hardening.FuzzLoop;
import simplebt.hardening.Mutator;

/**
 * Mutated valid frames (seeded; 100,000 cases, 1,000,000 with -Dsimplebt.fuzz.long=true). The
 * codec may only return a message, throw {@link WireException} (a bad frame) or
 * {@link EOFException} (the frame ran past the input). Every frame it accepts re-encodes to
 * exactly the bytes it consumed, so nothing is silently reinterpreted.
 */
class MessageCodecFuzzTest {
    private static final long SEED = 0xc0dec_f22L;
    private static final int ROUNDS = Mutator.rounds(100_000);
    // 10 pieces of 32 KiB, the last one 1000 bytes.
    private static final MessageCodec CODEC = new MessageCodec(new TorrentShape(10, 32768, 9L * 32768 + 1000));
    private static final Mutator MUTATOR = new Mutator(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 14, 15, 16, 17, 20, (byte) 0x40, (byte) 0xff});

    @Test
    void mutatedFramesDecodeOrFailWithWireException() throws IOException {
        int accepted = new FuzzLoop(MUTATOR, SEED, ROUNDS, seeds()).randomEvery(10, 30).accepted(IOException.class, input -> {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(input));
            Message m = CODEC.read(in);
            int consumed = input.length - in.available();
            if (!(m instanceof Message.Unknown)) {
                assertThat(encode(m)).as("re-encoding").isEqualTo(Arrays.copyOf(input, consumed));
            }
        }, refused -> assertThat(refused).isInstanceOfAny(WireException.class, EOFException.class)); // a bad frame, or one cut short
        assertThat(accepted).isBetween(1, ROUNDS - 1);
    }

    private static List<byte[]> seeds() throws IOException {
        List<Message> messages = List.of(new Message.KeepAlive(), new Message.Choke(), new Message.Unchoke(),
                new Message.Interested(), new Message.NotInterested(), new Message.Have(9),
                new Message.Bitfield(new byte[] {(byte) 0xa0, 0x40}), new Message.Request(1, 16384, 16384),
                new Message.Piece(9, 996, new byte[] {1, 2, 3, 4}), new Message.Cancel(0, 0, 100),
                new Message.Suggest(3), new Message.HaveAll(), new Message.HaveNone(), // BEP 6
                new Message.Reject(9, 0, 1000), new Message.AllowedFast(7),
                new Message.Extended(0, "d1:md6:ut_pexi1eee".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
        List<byte[]> seeds = new ArrayList<>();
        for (Message m : messages) {
            seeds.add(encode(m));
        }
        seeds.add(new byte[] {0, 0, 0, 3, 9, 0x1a, (byte) 0xe1}); // BEP 5 port, skipped as unknown
        return seeds;
    }

    private static byte[] encode(Message m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CODEC.write(new DataOutputStream(bytes), m);
        return bytes.toByteArray();
    }
}
