package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class PeerListenerTest {
    @Test
    void plainHandshakeGoesToThePlainPathWithNothingConsumed() throws Exception {
        BlockingQueue<byte[]> plain = new ArrayBlockingQueue<>(1);
        try (PeerListener listener = new PeerListener(InetAddress.getByName("127.0.0.1"), 0, streams -> {
            try {
                plain.add(streams.in().readNBytes(68));
                streams.closer().close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, ForeignHandler.CLOSE);
             Socket s = new Socket("127.0.0.1", listener.port())) {
            OutputStream out = s.getOutputStream();
            // The listener waits for the whole 68-byte handshake before giving it a thread.
            String handshake = "\u0013BitTorrent protocol!" + "x".repeat(47);
            out.write(handshake.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(new String(plain.poll(10, TimeUnit.SECONDS), StandardCharsets.ISO_8859_1)).isEqualTo(handshake);
        }
    }

    @Test
    void anythingElseGoesToTheForeignHandler() throws Exception {
        BlockingQueue<byte[]> foreign = new ArrayBlockingQueue<>(1);
        ForeignHandler handler = (socket, in, accept) -> {
            foreign.add(in.readNBytes(20));
            socket.close();
        };
        try (PeerListener listener = new PeerListener(InetAddress.getByName("127.0.0.1"), 0, streams -> {
            throw new AssertionError("not plain");
        }, handler);
             Socket s = new Socket("127.0.0.1", listener.port())) {
            byte[] greeting = new byte[20];
            greeting[0] = 0x53; // e.g. a secure-channel hello
            s.getOutputStream().write(greeting);
            s.getOutputStream().flush();
            assertThat(foreign.poll(10, TimeUnit.SECONDS)).isEqualTo(greeting);
        }
    }
}
