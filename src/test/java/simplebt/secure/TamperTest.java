package simplebt.secure;

import static org.assertj.core.api.Assertions.assertThat;
import static simplebt.secure.TamperingProxy.Tamper.drop;
import static simplebt.secure.TamperingProxy.Tamper.flipBit;
import static simplebt.secure.TamperingProxy.Tamper.none;
import static simplebt.secure.TamperingProxy.Tamper.replay;
import static simplebt.secure.TamperingProxy.Tamper.swap;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import simplebt.secure.SecureChannelException.Kind;
import simplebt.secure.TamperingProxy.Tamper;

/**
 * An attacker on the path, played by {@link TamperingProxy}: one flipped bit anywhere, or a
 * replayed, reordered or dropped record, and the receiving side refuses with the right kind.
 * Units: 0 = hello (to responder) or responder key (to initiator); 1 = record #0, the key
 * confirmation; 2.. = data records (each side sends 64 KiB = four full records).
 */
@Timeout(60)
class TamperTest {
    private static final SwarmKey SWARM = Fixtures.PRIVATE;
    private static final byte[] UP = Fixtures.random(64 << 10, 31);
    private static final byte[] DOWN = Fixtures.random(64 << 10, 32);

    enum Side { INITIATOR, RESPONDER }

    static Stream<Arguments> attacks() {
        return Stream.of(
                // the hello: magic, public key, torrent tag
                attack("hello magic", flipBit(0, 0, 1), none(), Side.RESPONDER, Kind.NOT_SECURE),
                attack("hello public key", flipBit(0, 13, 3), none(), Side.RESPONDER, Kind.UNKNOWN_TORRENT),
                attack("hello public key top bit", flipBit(0, 39, 7), none(), Side.RESPONDER, Kind.UNKNOWN_TORRENT),
                attack("hello tag", flipBit(0, 71, 0), none(), Side.RESPONDER, Kind.UNKNOWN_TORRENT),
                // the responder's public key and key confirmation
                attack("responder key", none(), flipBit(0, 17, 2), Side.INITIATOR, Kind.AUTH_FAILED),
                attack("responder key top bit (masked, still in the transcript)", none(), flipBit(0, 31, 7),
                        Side.INITIATOR, Kind.AUTH_FAILED),
                attack("responder confirmation length", none(), flipBit(1, 1, 0), Side.INITIATOR, Kind.MALFORMED),
                attack("responder confirmation ciphertext", none(), flipBit(1, 7, 4), Side.INITIATOR, Kind.AUTH_FAILED),
                attack("responder confirmation tag", none(), flipBit(1, -1, 7), Side.INITIATOR, Kind.AUTH_FAILED),
                // the initiator's key confirmation
                attack("initiator confirmation length", flipBit(1, 1, 4), none(), Side.RESPONDER, Kind.MALFORMED),
                attack("initiator confirmation ciphertext", flipBit(1, 20, 0), none(), Side.RESPONDER, Kind.AUTH_FAILED),
                attack("initiator confirmation tag", flipBit(1, -3, 1), none(), Side.RESPONDER, Kind.AUTH_FAILED),
                // data records, initiator to responder (full records: length 0x4010)
                attack("data length grows past the maximum", flipBit(2, 1, 0), none(), Side.RESPONDER, Kind.MALFORMED),
                attack("data length shrinks", flipBit(2, 1, 4), none(), Side.RESPONDER, Kind.AUTH_FAILED),
                attack("data ciphertext", flipBit(3, 1000, 6), none(), Side.RESPONDER, Kind.AUTH_FAILED),
                attack("data tag", flipBit(2, -1, 0), none(), Side.RESPONDER, Kind.AUTH_FAILED),
                // data records, responder to initiator
                attack("data length below the minimum", none(), flipBit(2, 0, 6), Side.INITIATOR, Kind.MALFORMED),
                attack("data ciphertext back", none(), flipBit(4, 5000, 2), Side.INITIATOR, Kind.AUTH_FAILED),
                attack("data tag back", none(), flipBit(5, -16, 5), Side.INITIATOR, Kind.AUTH_FAILED),
                // whole records replayed, reordered, dropped
                attack("replayed record", replay(2), none(), Side.RESPONDER, Kind.AUTH_FAILED),
                attack("reordered records", swap(2), none(), Side.RESPONDER, Kind.AUTH_FAILED),
                attack("dropped record", drop(3), none(), Side.RESPONDER, Kind.AUTH_FAILED),
                attack("confirmation replayed as data", none(), replay(1), Side.INITIATOR, Kind.AUTH_FAILED),
                attack("reordered records back", none(), swap(3), Side.INITIATOR, Kind.AUTH_FAILED));
    }

    private static Arguments attack(String name, Tamper toResponder, Tamper toInitiator, Side side, Kind kind) {
        return Arguments.of(name, toResponder, toInitiator, side, kind);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void receivingSideRefuses(String name, Tamper toResponder, Tamper toInitiator, Side side, Kind kind) throws Exception {
        Throwable[] outcome = run(toResponder, toInitiator);

        Fixtures.assertKind(outcome[side.ordinal()], kind);
    }

    @Test
    void untamperedProxyChangesNothing() throws Exception {
        Throwable[] outcome = run(none(), none());

        assertThat(outcome).containsExactly(null, null);
    }

    @Test
    void replayedConversationIsRefused() throws Exception {
        byte[] recorded;
        try (TestResponder responder = new TestResponder(List.of(SWARM));
                TamperingProxy proxy = new TamperingProxy(responder.port(), none(), none());
                SecureStreams initiator = SecureChannel.connect(TestResponder.connectTo(proxy.port()), SWARM,
                        Duration.ofSeconds(5))) {
            initiator.out().write(UP);
            initiator.out().flush();
            assertThat(responder.accepted().streams().in().readNBytes(UP.length)).isEqualTo(UP);
            recorded = proxy.initiatorBytes();
        }
        try (TestResponder responder = new TestResponder(List.of(SWARM));
                Socket attacker = TestResponder.connectTo(responder.port())) {
            attacker.getOutputStream().write(recorded); // a valid hello, then the old confirmation and data

            Fixtures.assertKind(responder.failure(), Kind.AUTH_FAILED);
        }
    }

    /** One connection through the proxy; returns what each side threw (null: it got all its data). */
    private static Throwable[] run(Tamper toResponder, Tamper toInitiator) throws Exception {
        try (TestResponder responder = new TestResponder(List.of(SWARM));
                TamperingProxy proxy = new TamperingProxy(responder.port(), toResponder, toInitiator)) {
            CompletableFuture<Throwable> initiator = CompletableFuture.supplyAsync(() -> {
                try {
                    return exchange(SecureChannel.connect(TestResponder.connectTo(proxy.port()), SWARM,
                            Duration.ofSeconds(5)), UP, DOWN);
                } catch (IOException e) {
                    return e;
                }
            }, r -> Thread.ofVirtual().start(r));
            Throwable responderOutcome;
            try {
                responderOutcome = exchange(responder.accepted().streams(), DOWN, UP);
            } catch (SecureChannelException e) {
                responderOutcome = e;
            }
            return new Throwable[] {initiator.get(30, TimeUnit.SECONDS), responderOutcome};
        }
    }

    /** Sends {@code send} while reading {@code expect}; closes the streams like the engine would. */
    private static Throwable exchange(SecureStreams streams, byte[] send, byte[] expect) {
        try (streams) {
            CompletableFuture<Void> writer = Fixtures.writeInChunks(streams.out(), send, 7);
            byte[] got = streams.in().readNBytes(expect.length);
            if (!Arrays.equals(got, expect)) {
                return new IOException("got " + got.length + " bytes, not the " + expect.length + " sent"); // e.g. peer hung up
            }
            writer.exceptionally(t -> null).get(30, TimeUnit.SECONDS);
            return null;
        } catch (Exception e) {
            return e;
        }
    }
}
