import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import simplebt.metainfo.InfoHash;
import simplebt.secure.HelloMatcher;
import simplebt.secure.SwarmKey;

/**
 * What finding the torrent of an incoming secure hello costs a node that serves N torrents
 * (docs/secure-channel.md, "One port, many torrents"): the trial over N tag keys per connection,
 * and deriving the tag keys again when the set of keys changed. Prints microseconds per
 * operation, the median of 7 rounds after a warm-up.
 */
public class LookupBench {
    public static void main(String[] args) {
        SecureRandom random = new SecureRandom();
        for (int n : new int[] {1, 100, 1000}) {
            List<SwarmKey> keys = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] hash = new byte[20];
                byte[] secret = new byte[32];
                random.nextBytes(hash);
                random.nextBytes(secret);
                keys.add(SwarmKey.withSecret(new InfoHash(hash), secret));
            }
            byte[] hello = new byte[72];
            random.nextBytes(hello);
            System.arraycopy(new byte[] {'S', 'B', 'T', 's', 'e', 'c', 0, 1}, 0, hello, 0, 8);
            HelloMatcher matcher = HelloMatcher.of(keys);
            int lookups = Math.max(200, 200_000 / n);
            double find = median(() -> {
                for (int i = 0; i < lookups; i++) {
                    matcher.find(hello);
                }
            }, lookups);
            int builds = Math.max(20, 20_000 / n);
            double build = median(() -> {
                for (int i = 0; i < builds; i++) {
                    HelloMatcher.of(keys);
                }
            }, builds);
            List<SwarmKey> oneMore = new ArrayList<>(keys);
            oneMore.add(SwarmKey.open(new InfoHash(new byte[20])));
            double update = median(() -> {
                for (int i = 0; i < builds; i++) {
                    matcher.updated(oneMore);
                }
            }, builds);
            System.out.printf("%5d torrents: lookup %9.1f us per incoming secure connection (%.2f us per key);"
                    + " all tag keys derived %9.1f us; one torrent added %7.1f us%n", n, find, find / n, build, update);
        }
    }

    private static double median(Runnable work, int ops) {
        for (int i = 0; i < 3; i++) {
            work.run();
        }
        double[] us = new double[7];
        for (int i = 0; i < us.length; i++) {
            long t = System.nanoTime();
            work.run();
            us[i] = (System.nanoTime() - t) / 1e3 / ops;
        }
        java.util.Arrays.sort(us);
        return us[us.length / 2];
    }
}
