package simplebt.mse;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.Set;

import simplebt.metainfo.InfoHash;
import simplebt.mse.MseException.Kind;

/**
 * Side A of the MSE handshake (the one that connected), on any pair of streams:
 * <pre>
 * A->B  Ya (96), PadA (0..512 random)
 * B->A  Yb (96), PadB (0..512 random)
 * A->B  HASH('req1', S), HASH('req2', SKEY) xor HASH('req3', S),
 *       ENCRYPT(VC, crypto_provide, len(PadC) = 0, len(IA) = 0)
 * B->A  ENCRYPT(VC, crypto_select, len(PadD), PadD), then the payload
 * </pre>
 * A sends no initial payload (IA): it learns the selected method first, then the caller sends the
 * BitTorrent handshake through the payload stream. ENCRYPT(VC) is found by searching the bytes
 * after Yb: PadB is at most 512 bytes, so VC must end within 96 + 512 + 8 = 616 bytes of B's first.
 */
public final class MseInitiator {
    private static final long VC_WINDOW_END = DhKey.LENGTH + MseHandshake.MAX_PAD + MseHandshake.VC_LENGTH;

    private MseInitiator() {
    }

    /** @param provide the methods we accept (crypto_provide); the responder picks one of them */
    public static MseResult connect(InputStream in, OutputStream out, InfoHash skey, Set<CryptoMethod> provide, Random random)
            throws MseException {
        if (provide.isEmpty()) {
            throw new IllegalArgumentException("provide at least one crypto method");
        }
        DhKey mine = DhKey.generate(random);
        MseHandshake.send(out, MseHandshake.keyAndPad(mine, random), "our key (Ya)");
        HandshakeReader reader = new HandshakeReader(in);
        byte[] yb;
        try {
            yb = reader.read(DhKey.LENGTH, "the peer's key (Yb)");
        } catch (MseException e) {
            // no whole key came back: a client that does not speak MSE closes, or waits for a BEP 3 handshake
            throw new MseException(Kind.NO_ANSWER, e.reason());
        }
        byte[] s = mine.secret(yb);
        Rc4 encrypt = Rc4.forMse(MseHashes.keyA(s, skey));
        Rc4 decrypt = Rc4.forMse(MseHashes.keyB(s, skey));
        byte[] block = MseHandshake.block(CryptoMethod.bits(provide));
        byte[] iaLength = new byte[2];
        encrypt.apply(block, 0, block.length);
        encrypt.apply(iaLength, 0, 2);
        byte[] step3 = ByteBuffer.allocate(2 * MseHashes.LENGTH + block.length + 2)
                .put(MseHashes.req1(s)).put(MseHashes.xor(MseHashes.req2(skey), MseHashes.req3(s)))
                .put(block).put(iaLength).array();
        MseHandshake.send(out, step3, "the torrent hash and crypto_provide");

        byte[] vc = new byte[MseHandshake.VC_LENGTH];
        decrypt.apply(vc, 0, vc.length); // what ENCRYPT(VC) looks like on the wire, and the keystream moves past it
        reader.sync(vc, VC_WINDOW_END, "the peer's verification constant (ENCRYPT(VC))");
        byte[] rest = reader.read(MseHandshake.BLOCK_LENGTH - MseHandshake.VC_LENGTH, "crypto_select and len(PadD)");
        decrypt.apply(rest, 0, rest.length);
        byte[] full = ByteBuffer.allocate(MseHandshake.BLOCK_LENGTH).put(new byte[MseHandshake.VC_LENGTH]).put(rest).array();
        CryptoMethod selected = selected(MseHandshake.methodBits(full), provide);
        int padD = MseHandshake.padLength(full, MseHandshake.BLOCK_LENGTH - 2, "PadD");
        decrypt.apply(reader.read(padD, "PadD"), 0, padD);
        return new MseResult(skey, selected, decrypt, encrypt, new byte[0], reader.leftover());
    }

    /** The responder must select exactly one method, and one we provided. */
    private static CryptoMethod selected(int bits, Set<CryptoMethod> provide) throws MseException {
        Set<CryptoMethod> chosen = CryptoMethod.of(bits);
        if (chosen.size() != 1 || !provide.containsAll(chosen)) {
            throw new MseException(Kind.NO_COMMON_METHOD, String.format(
                    "the peer selected crypto method bits 0x%08x; we provided 0x%08x", bits, CryptoMethod.bits(provide)));
        }
        return chosen.iterator().next();
    }
}
