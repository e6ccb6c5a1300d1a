package simplebt.tracker.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.google.gson.JsonObject;

/**
 * How long the home page takes to become usable in headless Chromium: the Navigation Timing
 * of each load (DOMContentLoaded ends after the deferred site.js has wired sorting and live
 * counts; load ends after the stylesheet). Usage {@code Usable URL ROUNDS}; the first load
 * (cold cache) is reported apart, then the median and worst of the rest.
 */
public final class Usable {
    private Usable() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int rounds = Integer.parseInt(args[1]);
        Path tmp = Files.createTempDirectory("usable");
        List<Double> ready = new ArrayList<>();
        List<Double> loaded = new ArrayList<>();
        try (WebDriver b = new WebDriver(tmp.resolve("profile"), Files.createDirectories(tmp.resolve("dl")))) {
            for (int i = 0; i <= rounds; i++) {
                b.open(url);
                JsonObject t = b.script("var n = performance.getEntriesByType('navigation')[0];"
                        + " return {ready: n.domContentLoadedEventEnd, load: n.loadEventEnd, bytes: n.transferSize,"
                        + " rows: document.querySelectorAll('table.torrents tbody tr').length};").getAsJsonObject();
                if (i == 0) {
                    System.out.printf("cold: usable after %.1f ms, loaded after %.1f ms (%d rows, %d bytes)%n",
                            t.get("ready").getAsDouble(), t.get("load").getAsDouble(), t.get("rows").getAsInt(),
                            t.get("bytes").getAsLong());
                    continue;
                }
                ready.add(t.get("ready").getAsDouble());
                loaded.add(t.get("load").getAsDouble());
            }
        }
        Collections.sort(ready);
        Collections.sort(loaded);
        System.out.printf("warm (%d loads): usable median %.1f ms, worst %.1f ms; loaded median %.1f ms, worst %.1f ms%n",
                rounds, ready.get(ready.size() / 2), ready.get(ready.size() - 1), loaded.get(loaded.size() / 2),
                loaded.get(loaded.size() - 1));
        System.out.printf("RESULT scenario=web metric=usable_ms tool=simplebt role=ours round=1 value=%.1f unit=ms better=lower%n",
                ready.get(ready.size() / 2));
    }
}
