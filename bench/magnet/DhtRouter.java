import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import simplebt.dht.DhtNode;
import simplebt.dht.DhtOptions;

/**
 * The loopback DHT of the magnet benchmark's "dht" scenario: one of our DHT nodes (BEP 5) on
 * 127.0.0.1:PORT that knows nobody at first. The seeder joins through it and announces the
 * torrent to it; every leecher joins through it too and so finds the seeder, with no tracker.
 * Prints READY once the port is bound, then NODES n whenever its table's size changes; runs
 * until killed.
 *
 * usage: java -cp node.jar bench/magnet/DhtRouter.java PORT
 */
public final class DhtRouter {
    public static void main(String[] args) throws Exception {
        DhtOptions options = DhtOptions.of(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0]))
                .withBootstrap(List.of()).withTimes(Duration.ofSeconds(1), Duration.ofMinutes(20), Duration.ofSeconds(30));
        try (DhtNode node = DhtNode.start(options)) {
            System.out.println("READY " + node.port());
            int last = 0;
            while (true) {
                int size = node.table().size();
                if (size != last) {
                    System.out.println("NODES " + size);
                    last = size;
                }
                Thread.sleep(50);
            }
        }
    }
}
