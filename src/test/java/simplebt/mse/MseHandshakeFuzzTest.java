package simplebt.mse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import simplebt.hardening.FuzzLoop;
import simplebt.hardening.Mutator;
import simplebt.metainfo.InfoHash;

/**
 * Mutated handshake transcripts (seeded; 20,000 cases per side, 1,000,000 with
 * -Dsimplebt.fuzz.long=true). Each side is replayed with the same seed as in the recorded
 * conversation, so its own key and pad come out the same and an unchanged transcript still
 * completes; a mutation therefore reaches past the key exchange into the encrypted fields (pad
 * lengths, VC, crypto bits, IA length). A side may only complete or throw {@link MseException};
 * the input ends where the transcript ends, so nothing can hang.
 */
class MseHandshakeFuzzTest {
    private static final long SEED = 0x35e_f022L;
    private static final int ROUNDS = Mutator.rounds(20_000);
    private static final InfoHash TORRENT = new InfoHash(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20});
    private static final Set<CryptoMethod> BOTH = EnumSet.allOf(CryptoMethod.class);
    private static final Mutator MUTATOR = new Mutator(new byte[] {0, 1, 2, 3, (byte) 0x7f, (byte) 0x80, (byte) 0xff});
    private static final long INITIATOR_SEED = 41;
    private static final long RESPONDER_SEED = 42;

    /**
     * What each side sends in one complete handshake, [from A, from B], built without threads:
     * each side's key and pad depend only on its seed, so one side is run against the other's
     * bytes so far until both transcripts are whole. A sends an initial payload too.
     */
    private static byte[][] transcripts() throws Exception {
        byte[] anyYa = DhKey.generate(new Random(7)).publicKey();
        byte[] bFirst = respond(anyYa); // Yb and PadB do not depend on what A sent
        ScriptedInitiator scripted = new ScriptedInitiator();
        scripted.padA = 37;
        scripted.padC = 5;
        scripted.ia = "\u0013BitTorrent protocol".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream fromScripted = new ByteArrayOutputStream();
        scripted.run(new ByteArrayInputStream(bFirst), fromScripted, TORRENT, new Random(INITIATOR_SEED));

        byte[] aFull = initiate(bFirst); // our initiator: Ya, PadA and step 3, then it waits for ENCRYPT(VC)
        byte[] bFull = respond(aFull);
        return new byte[][] {fromScripted.toByteArray(), bFull};
    }

    /** What the responder sends when it reads {@code in} and then the end of the stream. */
    private static byte[] respond(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            MseResponder.accept(new ByteArrayInputStream(in), out, TorrentLookup.of(() -> List.of(TORRENT)), BOTH,
                    new Random(RESPONDER_SEED));
        } catch (MseException e) {
            // ran out of input: what it sent so far is what we want
        }
        return out.toByteArray();
    }

    private static byte[] initiate(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            MseInitiator.connect(new ByteArrayInputStream(in), out, TORRENT, BOTH, new Random(INITIATOR_SEED));
        } catch (MseException e) {
            // as above
        }
        return out.toByteArray();
    }

    @Test
    void theResponderCompletesOrFailsWithMseExceptionOnMutatedInitiatorBytes() throws Exception {
        byte[] valid = transcripts()[0];
        int completed = run(valid, in -> MseResponder.accept(in, OutputStream.nullOutputStream(),
                TorrentLookup.of(() -> List.of(TORRENT)), BOTH, new Random(RESPONDER_SEED)));
        assertThat(completed).isBetween(1, ROUNDS - 1);
    }

    @Test
    void theInitiatorCompletesOrFailsWithMseExceptionOnMutatedResponderBytes() throws Exception {
        byte[] valid = transcripts()[1];
        int completed = run(valid, in -> MseInitiator.connect(in, OutputStream.nullOutputStream(), TORRENT, BOTH,
                new Random(INITIATOR_SEED)));
        assertThat(completed).isBetween(1, ROUNDS - 1);
    }

    @FunctionalInterface
    private interface Side {
        MseResult run(ByteArrayInputStream in) throws MseException;
    }

    /** How many inputs complete the handshake; the rest must be refused, or cut short, with an MseException. */
    private static int run(byte[] valid, Side side) {
        return new FuzzLoop(MUTATOR, SEED, ROUNDS, List.of(valid)).seedFirst().randomEvery(10, 700)
                .accepted(MseException.class, input -> side.run(new ByteArrayInputStream(input)));
    }
}
