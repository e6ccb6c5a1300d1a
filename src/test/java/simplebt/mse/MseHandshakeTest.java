package simplebt.mse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import simplebt.metainfo.InfoHash;
import simplebt.mse.MseException.Kind;

/**
 * Both sides of the MSE handshake against each other over in-memory pipes, and each side against
 * broken or hostile counterparts. A side that fails closes its end (as the socket adapter closes
 * the socket), so the other side must fail too, never hang.
 */
@Timeout(120)
class MseHandshakeTest {
    private static final InfoHash TORRENT = new InfoHash(filled(20, 0x5a));
    private static final InfoHash OTHER = new InfoHash(filled(20, 0x17));
    private static final Set<CryptoMethod> BOTH = EnumSet.allOf(CryptoMethod.class);
    private static final byte[] HELLO_A = "\u0013BitTorrent protocol, and then A's handshake ...".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] HELLO_B = "\u0013BitTorrent protocol, and then B's handshake ...".getBytes(StandardCharsets.ISO_8859_1);

    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static TorrentLookup serving(InfoHash... hashes) {
        return TorrentLookup.of(() -> List.of(hashes));
    }

    /** A: handshake, then send HELLO_A and read HELLO_B through the payload streams. */
    private Future<MseResult> initiator(Pipes p, long cut, Set<CryptoMethod> provide, long seed) {
        return pool.submit(() -> {
            OutputStream wire = p.aWire(cut);
            try {
                MseResult r = MseInitiator.connect(p.aIn, wire, TORRENT, provide, new Random(seed));
                OutputStream out = r.output(wire, 4096);
                out.write(HELLO_A);
                out.flush();
                assertThat(r.input(p.aIn).readNBytes(HELLO_B.length)).isEqualTo(HELLO_B);
                return r;
            } catch (IOException | RuntimeException | Error e) {
                Pipes.closeQuietly(wire, p.aIn);
                throw e;
            }
        });
    }

    /** B: handshake, then read HELLO_A and answer HELLO_B. */
    private Future<MseResult> responder(Pipes p, long cut, TorrentLookup lookup, Set<CryptoMethod> accept, long seed) {
        return pool.submit(() -> {
            OutputStream wire = p.bWire(cut);
            try {
                MseResult r = MseResponder.accept(p.bIn, wire, lookup, accept, new Random(seed));
                assertThat(r.input(p.bIn).readNBytes(HELLO_A.length)).isEqualTo(HELLO_A);
                OutputStream out = r.output(wire, 4096);
                out.write(HELLO_B);
                out.flush();
                return r;
            } catch (IOException | RuntimeException | Error e) {
                Pipes.closeQuietly(wire, p.bIn);
                throw e;
            }
        });
    }

    private static MseException failure(Future<?> f) throws InterruptedException, java.util.concurrent.TimeoutException {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MseException m) {
                return m;
            }
            throw new AssertionError("expected an MseException, got " + e.getCause(), e.getCause());
        }
        throw new AssertionError("the handshake succeeded");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void bothSidesAgreeOnRc4AndThePayloadNeverShowsOnTheWire() throws Exception {
        Pipes p = new Pipes();
        Future<MseResult> a = initiator(p, Long.MAX_VALUE, BOTH, 1);
        Future<MseResult> b = responder(p, Long.MAX_VALUE, serving(OTHER, TORRENT), BOTH, 2);
        assertThat(a.get(30, TimeUnit.SECONDS).method()).isEqualTo(CryptoMethod.RC4);
        assertThat(b.get(30, TimeUnit.SECONDS).infoHash()).isEqualTo(TORRENT);
        byte[] wireA = p.fromA.toByteArray();
        byte[] wireB = p.fromB.toByteArray();
        assertThat(contains(wireA, "BitTorrent protocol".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(contains(wireB, "BitTorrent protocol".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(contains(wireA, TORRENT.bytes())).as("the info hash never crosses in the clear").isFalse();
        // Ya (96) + PadA (0..512) + req1 (20) + masked req2 (20) + 14 + len(IA) 2, then the 49-byte payload
        assertThat(wireA.length).isBetween(96 + 56 + HELLO_A.length, 96 + 512 + 56 + HELLO_A.length);
    }

    @Test
    void plaintextIsSelectedWhenOnlyPlaintextIsProvidedAndThePayloadThenGoesInTheClear() throws Exception {
        Pipes p = new Pipes();
        Future<MseResult> a = initiator(p, Long.MAX_VALUE, EnumSet.of(CryptoMethod.PLAINTEXT), 3);
        Future<MseResult> b = responder(p, Long.MAX_VALUE, serving(TORRENT), BOTH, 4);
        assertThat(a.get(30, TimeUnit.SECONDS).method()).isEqualTo(CryptoMethod.PLAINTEXT);
        assertThat(b.get(30, TimeUnit.SECONDS).method()).isEqualTo(CryptoMethod.PLAINTEXT);
        byte[] wireA = p.fromA.toByteArray();
        assertThat(Arrays.copyOfRange(wireA, wireA.length - HELLO_A.length, wireA.length)).isEqualTo(HELLO_A);
    }

    @Test
    void aResponderThatAcceptsOnlyRc4RefusesAPlaintextOnlyInitiator() throws Exception {
        Pipes p = new Pipes();
        Future<MseResult> a = initiator(p, Long.MAX_VALUE, EnumSet.of(CryptoMethod.PLAINTEXT), 5);
        Future<MseResult> b = responder(p, Long.MAX_VALUE, serving(TORRENT), EnumSet.of(CryptoMethod.RC4), 6);
        assertThat(failure(b).kind()).isEqualTo(Kind.NO_COMMON_METHOD);
        assertThat(failure(a).kind()).isEqualTo(Kind.INCOMPLETE);
    }

    @Test
    void aTorrentWeDoNotServeIsRefusedAndTheInitiatorSeesTheClose() throws Exception {
        Pipes p = new Pipes();
        Future<MseResult> a = initiator(p, Long.MAX_VALUE, BOTH, 7);
        Future<MseResult> b = responder(p, Long.MAX_VALUE, serving(OTHER), BOTH, 8);
        assertThat(failure(b).kind()).isEqualTo(Kind.UNKNOWN_TORRENT);
        MseException seen = failure(a);
        assertThat(seen.kind()).as("it had our key already: it speaks MSE").isEqualTo(Kind.INCOMPLETE);
        assertThat(seen.getMessage()).contains("closed");
    }

    @Test
    void theInitialPayloadComesFirstOutOfTheResponderThenTheRc4Stream() throws Exception {
        Pipes p = new Pipes();
        ScriptedInitiator s = new ScriptedInitiator();
        s.ia = HELLO_A;
        s.padA = 512;
        s.padC = 512;
        byte[] more = "more".getBytes(StandardCharsets.US_ASCII);
        Future<byte[]> b = pool.submit(() -> {
            MseResult r = MseResponder.accept(p.bIn, p.bOut, serving(TORRENT), BOTH, new Random(10));
            assertThat(r.initialPayload()).isEqualTo(HELLO_A);
            return r.input(p.bIn).readNBytes(HELLO_A.length + more.length);
        });
        Rc4 encrypt = s.run(p.aIn, p.aOut, TORRENT, new Random(9))[0];
        byte[] wire = more.clone();
        encrypt.apply(wire, 0, wire.length); // RC4 selected: A's keystream goes on after IA
        p.aOut.write(wire);
        p.aOut.flush();
        p.aIn.readNBytes(MseHandshake.BLOCK_LENGTH); // B's answer (keeps this end of the pipe alive)
        byte[] got = b.get(30, TimeUnit.SECONDS);
        assertThat(Arrays.copyOf(got, HELLO_A.length)).isEqualTo(HELLO_A);
        assertThat(Arrays.copyOfRange(got, HELLO_A.length, got.length)).isEqualTo(more);
    }

    /** Our responder facing a hand-written initiator: how it refuses. */
    private MseException responderRefuses(ScriptedInitiator s, long seed) throws IOException {
        Pipes p = new Pipes();
        pool.submit(() -> s.run(p.aIn, p.aOut, TORRENT, new Random(seed)));
        try {
            MseResponder.accept(p.bIn, p.bOut, serving(TORRENT), BOTH, new Random(seed + 1));
        } catch (MseException e) {
            return e;
        }
        throw new AssertionError("the responder accepted");
    }

    @Test
    void aPadCLongerThan512IsRefused() throws Exception {
        ScriptedInitiator s = new ScriptedInitiator();
        s.padC = 513;
        MseException e = responderRefuses(s, 11);
        assertThat(e.kind()).isEqualTo(Kind.BAD_PAD);
        assertThat(e.getMessage()).contains("PadC is 513 bytes");
    }

    @Test
    void aPadALongerThan512MissesTheSynchronisationWindow() throws Exception {
        ScriptedInitiator s = new ScriptedInitiator();
        s.padA = 513;
        MseException e = responderRefuses(s, 13);
        assertThat(e.kind()).isEqualTo(Kind.NO_SYNC);
        assertThat(e.getMessage()).contains("HASH('req1', S) not found within 532 bytes");
    }

    @Test
    void aWrongVerificationConstantIsRefused() throws Exception {
        ScriptedInitiator s = new ScriptedInitiator();
        s.vc[3] = 1;
        assertThat(responderRefuses(s, 15).kind()).isEqualTo(Kind.BAD_VC);
    }

    @Test
    void noKnownCryptoBitsIsRefused() throws Exception {
        ScriptedInitiator s = new ScriptedInitiator();
        s.provide = 0xfffffff0; // reserved bits only
        assertThat(responderRefuses(s, 17).kind()).isEqualTo(Kind.NO_COMMON_METHOD);
    }

    @Test
    void garbageInsteadOfYbFailsToSynchronise() throws Exception {
        Pipes p = new Pipes();
        Future<MseResult> a = initiator(p, Long.MAX_VALUE, BOTH, 19);
        byte[] junk = new byte[96 + 700];
        new Random(20).nextBytes(junk);
        junk[0] = 0x40; // below P
        p.bIn.readNBytes(96); // A's key
        p.bOut.write(junk);
        p.bOut.flush();
        MseException e = failure(a);
        assertThat(e.kind()).isEqualTo(Kind.NO_SYNC);
        assertThat(e.getMessage()).contains("ENCRYPT(VC)) not found within 520 bytes");
    }

    @Test
    void aKeyOutOfRangeIsRefused() throws Exception {
        Pipes p = new Pipes();
        Future<MseResult> a = initiator(p, Long.MAX_VALUE, BOTH, 21);
        p.bIn.readNBytes(96);
        p.bOut.write(filled(96, 0xff)); // above P
        p.bOut.flush();
        assertThat(failure(a).kind()).isEqualTo(Kind.BAD_KEY);
        byte[] one = new byte[96];
        one[95] = 1;
        assertThatThrownBy(() -> DhKey.generate(new Random(1)).secret(one)).isInstanceOf(MseException.class);
    }

    @Test
    void aClientThatClosesOnOurKeyIsNoAnswer() throws Exception {
        Pipes p = new Pipes();
        Future<MseResult> a = initiator(p, Long.MAX_VALUE, BOTH, 22);
        p.bIn.readNBytes(68); // a plain client wants 68 bytes, then sees they are no BEP 3 handshake
        p.bOut.close();
        MseException e = failure(a);
        assertThat(e.kind()).isEqualTo(Kind.NO_ANSWER);
        assertThat(e.getMessage()).contains("Yb");
    }

    /**
     * The responder's bytes cut at every length from 0 to all of them: the initiator fails with
     * a named reason (no hang), NO_ANSWER while Yb is incomplete. And the same for the responder
     * with the initiator's bytes cut.
     */
    @Test
    void aConversationCutAtEveryByteFailsCleanlyOnBothSides() throws Exception {
        Pipes full = new Pipes();
        Future<MseResult> a0 = initiator(full, Long.MAX_VALUE, BOTH, 30);
        Future<MseResult> b0 = responder(full, Long.MAX_VALUE, serving(TORRENT), BOTH, 31);
        a0.get(30, TimeUnit.SECONDS);
        b0.get(30, TimeUnit.SECONDS);
        int handshakeA = full.fromA.size() - HELLO_A.length;
        int handshakeB = full.fromB.size() - HELLO_B.length;
        List<String> seen = new ArrayList<>();
        for (int cut = 0; cut < handshakeB; cut++) {
            Pipes p = new Pipes();
            Future<MseResult> a = initiator(p, Long.MAX_VALUE, BOTH, 30);
            responder(p, cut, serving(TORRENT), BOTH, 31);
            MseException e = failure(a);
            assertThat(e.kind()).as("B cut at %d", cut).isEqualTo(cut < 96 ? Kind.NO_ANSWER : Kind.INCOMPLETE);
            seen.add(e.reason());
        }
        for (int cut = 0; cut < handshakeA; cut++) {
            Pipes p = new Pipes();
            initiator(p, cut, BOTH, 30);
            Future<MseResult> b = responder(p, Long.MAX_VALUE, serving(TORRENT), BOTH, 31);
            assertThat(failure(b).kind()).as("A cut at %d", cut).isEqualTo(Kind.INCOMPLETE);
        }
        assertThat(seen).anyMatch(s -> s.contains("Yb")).anyMatch(s -> s.contains("ENCRYPT(VC)"))
                .anyMatch(s -> s.contains("crypto_select"));
    }

    @Test
    void theLookupSeesTorrentsAddedLater() {
        List<InfoHash> served = new ArrayList<>();
        TorrentLookup lookup = TorrentLookup.of(() -> List.copyOf(served));
        assertThat(lookup.byReq2(MseHashes.req2(TORRENT))).isEmpty();
        served.add(TORRENT);
        assertThat(lookup.byReq2(MseHashes.req2(TORRENT))).isEqualTo(Optional.of(TORRENT));
    }
}
