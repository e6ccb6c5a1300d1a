package simplebt.mse;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.Set;

import simplebt.metainfo.InfoHash;
import simplebt.mse.MseException.Kind;

/**
 * Side B of the MSE handshake (the one that accepted), on any pair of streams. B answers Ya with
 * Yb and PadB at once, then searches for HASH('req1', S) past PadA: it must end within
 * 96 + 512 + 20 = 628 bytes of the connection's first byte (532 after Ya), or the handshake fails.
 * HASH('req2', SKEY) xor HASH('req3', S) then names the torrent, through the lookup. B selects
 * RC4 when the initiator provides it (a peer that asks for MSE and offers RC4 wants its traffic
 * unrecognisable), else plaintext, among the methods {@code accept}ed here.
 */
public final class MseResponder {
    private static final long REQ1_WINDOW_END = DhKey.LENGTH + MseHandshake.MAX_PAD + MseHashes.LENGTH;
    /** Our preference, first to last. */
    private static final List<CryptoMethod> PREFERENCE = List.of(CryptoMethod.RC4, CryptoMethod.PLAINTEXT);

    private MseResponder() {
    }

    public static MseResult accept(InputStream in, OutputStream out, TorrentLookup lookup, Set<CryptoMethod> accept,
                                   Random random) throws MseException {
        HandshakeReader reader = new HandshakeReader(in);
        byte[] ya = reader.read(DhKey.LENGTH, "the initiator's key (Ya)");
        DhKey mine = DhKey.generate(random);
        byte[] s = mine.secret(ya);
        MseHandshake.send(out, MseHandshake.keyAndPad(mine, random), "our key (Yb)");

        reader.sync(MseHashes.req1(s), REQ1_WINDOW_END, "HASH('req1', S)");
        byte[] masked = reader.read(MseHashes.LENGTH, "HASH('req2', SKEY) xor HASH('req3', S)");
        InfoHash skey = lookup.byReq2(MseHashes.xor(masked, MseHashes.req3(s)))
                .orElseThrow(() -> new MseException(Kind.UNKNOWN_TORRENT, "the initiator asked for a torrent we do not serve"));
        Rc4 decrypt = Rc4.forMse(MseHashes.keyA(s, skey));
        Rc4 encrypt = Rc4.forMse(MseHashes.keyB(s, skey));

        byte[] block = reader.read(MseHandshake.BLOCK_LENGTH, "ENCRYPT(VC, crypto_provide, len(PadC))");
        decrypt.apply(block, 0, block.length);
        for (int k = 0; k < MseHandshake.VC_LENGTH; k++) {
            if (block[k] != 0) {
                throw new MseException(Kind.BAD_VC, "the verification constant did not decrypt to zeros");
            }
        }
        int provideBits = MseHandshake.methodBits(block);
        int padC = MseHandshake.padLength(block, MseHandshake.BLOCK_LENGTH - 2, "PadC");
        decrypt.apply(reader.read(padC, "PadC"), 0, padC);
        byte[] iaLength = reader.read(2, "len(IA)");
        decrypt.apply(iaLength, 0, 2);
        // 65535 at most (two bytes); the listener caps how many handshakes are in progress at once
        byte[] ia = reader.read(((iaLength[0] & 0xff) << 8) | (iaLength[1] & 0xff), "IA");
        decrypt.apply(ia, 0, ia.length);
        CryptoMethod selected = select(provideBits, accept);

        byte[] answer = MseHandshake.block(selected.bit());
        encrypt.apply(answer, 0, answer.length);
        MseHandshake.send(out, answer, "crypto_select");
        return new MseResult(skey, selected, decrypt, encrypt, ia, reader.leftover());
    }

    private static CryptoMethod select(int provideBits, Set<CryptoMethod> accept) throws MseException {
        Set<CryptoMethod> provided = CryptoMethod.of(provideBits);
        for (CryptoMethod m : PREFERENCE) {
            if (provided.contains(m) && accept.contains(m)) {
                return m;
            }
        }
        throw new MseException(Kind.NO_COMMON_METHOD, String.format(
                "the initiator provided crypto method bits 0x%08x; we accept 0x%08x", provideBits, CryptoMethod.bits(accept)));
    }
}
