package simplebt.secure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import simplebt.secure.SecureChannelException.Kind;

/** The record layer on its own, over in-memory bytes: exact format, coalescing, bounds, tampering. */
class RecordStreamsTest {
    private static final byte[] KEY = new byte[32];
    private static final byte[] IV = new byte[12];

    static {
        Arrays.fill(KEY, (byte) 7);
        Arrays.fill(IV, (byte) 9);
    }

    @Test
    void smallWritesBecomeOneRecordOnFlush() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        SecureOutputStream out = writer(wire);

        out.write("hello ".getBytes());
        out.write('w');
        out.write("orld".getBytes());
        assertThat(wire.size()).as("nothing is sent before flush").isZero();
        out.flush();

        List<byte[]> records = split(wire.toByteArray());
        assertThat(records).hasSize(1);
        byte[] rec = records.get(0);
        assertThat(rec[0]).isEqualTo((byte) 0x00); // length u16 = 11 plaintext + 16 tag = 27
        assertThat(rec[1]).isEqualTo((byte) 27);
        assertThat(new String(decryptByHand(rec, 0))).isEqualTo("hello world");
    }

    @Test
    void largeWriteIsCutInto16KiBRecords() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        SecureOutputStream out = writer(wire);
        byte[] data = random(40_000, 1);

        out.write(data);
        out.flush();

        List<byte[]> records = split(wire.toByteArray());
        assertThat(records).extracting(r -> r.length - 2 - 16).containsExactly(16384, 16384, 7232);
        assertThat(records.get(0)).startsWith(0x40, 0x10); // 16384 + 16 = 0x4010
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        for (int i = 0; i < records.size(); i++) {
            plain.write(decryptByHand(records.get(i), i));
        }
        assertThat(plain.toByteArray()).isEqualTo(data);
    }

    @Test
    void flushWithNothingPendingSendsNothing() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        SecureOutputStream out = writer(wire);

        out.flush();
        out.write(new byte[0]);
        out.flush();

        assertThat(wire.size()).isZero();
    }

    @Test
    void roundTripsManyWritesOfEverySize() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        SecureOutputStream out = writer(wire);
        Random random = new Random(3);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (int i = 0; i < 500; i++) {
            byte[] chunk = random(random.nextInt(i % 10 == 0 ? 70_000 : 300), i);
            out.write(chunk);
            sent.write(chunk);
            if (random.nextInt(4) == 0) {
                out.flush();
            }
        }
        out.flush();

        InputStream in = new OneByteAtATime(new ByteArrayInputStream(wire.toByteArray()));
        assertThat(reader(in).readAllBytes()).isEqualTo(sent.toByteArray());
    }

    @Test
    void endBetweenRecordsIsAnOrdinaryEnd() throws Exception {
        assertThat(reader(new ByteArrayInputStream(new byte[0])).read()).isEqualTo(-1);
    }

    @Test
    void endInsideARecordIsAnEofError() throws Exception {
        byte[] wire = sealed(random(100, 2));

        assertThatThrownBy(() -> reader(new ByteArrayInputStream(wire, 0, wire.length - 1)).readAllBytes())
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> reader(new ByteArrayInputStream(wire, 0, 1)).read()).isInstanceOf(EOFException.class);
    }

    @Test
    void refusesLengthsOutOfBoundsBeforeReadingThem() {
        for (int len : new int[] {0, 16, 16401, 0xffff}) {
            byte[] header = {(byte) (len >>> 8), (byte) len};
            assertThatThrownBy(() -> reader(new ByteArrayInputStream(header)).read())
                    .as("length %d", len)
                    .isInstanceOfSatisfying(SecureChannelException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
                        assertThat(e.getMessage()).contains("record length " + len);
                    });
        }
    }

    @Test
    void everySingleBitFlipInARecordIsRefused() throws Exception {
        byte[] first = sealed(random(3, 4));
        byte[] following = sealed(random(400_000, 5)); // the length may grow into these; never past them
        for (int bit = 0; bit < first.length * 8; bit++) {
            byte[] wire = concat(first, following);
            wire[bit / 8] ^= (byte) (1 << (bit % 8));
            SecureInputStream in = reader(new ByteArrayInputStream(wire));

            assertThatThrownBy(in::read).as("bit %d", bit).isInstanceOfSatisfying(SecureChannelException.class,
                    e -> assertThat(e.peerUntrusted()).isTrue());
            assertThatThrownBy(in::read).as("stays failed").isInstanceOf(SecureChannelException.class);
        }
    }

    @Test
    void aRefusedRecordClosesTheConnection() throws Exception {
        byte[] wire = sealed(random(100, 6));
        wire[10] ^= 1;
        boolean[] closed = {false};
        InputStream connection = new FilterInputStream(new ByteArrayInputStream(wire)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };

        assertThatThrownBy(() -> reader(connection).read(new byte[200])).isInstanceOf(SecureChannelException.class);
        assertThat(closed[0]).isTrue();
    }

    @Test
    void replayedOrReorderedRecordsFailAuthentication() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        SecureOutputStream out = writer(wire);
        for (int i = 0; i < 3; i++) {
            out.write(("record " + i).getBytes());
            out.flush();
        }
        List<byte[]> r = split(wire.toByteArray());

        assertFailsAtThirdRead(concat(r.get(0), r.get(1), r.get(1)), "replay of #1");
        assertFailsAtThirdRead(concat(r.get(0), r.get(2), r.get(1)), "reorder");
        assertFailsAtThirdRead(concat(r.get(0), r.get(2)), "drop of #1");
    }

    private static void assertFailsAtThirdRead(byte[] wire, String what) throws IOException {
        SecureInputStream in = reader(new ByteArrayInputStream(wire));
        byte[] buf = new byte[100];
        assertThat(in.read(buf)).isPositive();
        assertThatThrownBy(() -> {
            in.read(buf);
            in.read(buf);
        }).as(what).isInstanceOfSatisfying(SecureChannelException.class, e -> assertThat(e.kind()).isEqualTo(Kind.AUTH_FAILED));
    }

    static SecureOutputStream writer(ByteArrayOutputStream wire) {
        return new SecureOutputStream(wire, RecordCipher.sealing(KEY, new NonceSequence(IV)));
    }

    static SecureInputStream reader(InputStream wire) {
        return new SecureInputStream(wire, RecordCipher.opening(KEY, new NonceSequence(IV)));
    }

    private static byte[] sealed(byte[] plain) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        SecureOutputStream out = writer(wire);
        out.write(plain);
        out.flush();
        return wire.toByteArray();
    }

    /** Independent check of the format: AES-GCM by hand with AAD = header, nonce = IV XOR counter. */
    private static byte[] decryptByHand(byte[] record, long counter) throws Exception {
        byte[] nonce = IV.clone();
        ByteBuffer.wrap(nonce, 4, 8).putLong(ByteBuffer.wrap(IV, 4, 8).getLong() ^ counter);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD(record, 0, 2);
        return c.doFinal(record, 2, record.length - 2);
    }

    static List<byte[]> split(byte[] wire) {
        List<byte[]> records = new ArrayList<>();
        for (int at = 0; at < wire.length;) {
            int len = ((wire[at] & 0xff) << 8 | (wire[at + 1] & 0xff)) + 2;
            records.add(Arrays.copyOfRange(wire, at, at + len));
            at += len;
        }
        return records;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A wire that hands out one byte per read, as a slow network might. */
    private static final class OneByteAtATime extends FilterInputStream {
        OneByteAtATime(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1));
        }
    }
}
