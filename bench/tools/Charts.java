import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * PNG charts for a bench/run.sh results directory, JDK only:
 * <ul>
 * <li>{@code ratios.png}: every comparison's median ratio ours/ref on a log scale with its
 * min-max range, green where we win, red where we lose;</li>
 * <li>{@code bars-SCENARIO.png}: per scenario, one panel per metric with each tool's median and
 * its min-max range;</li>
 * <li>{@code rates-SCENARIO.png}: the download rate over time of the first round of each
 * client, from the leecher's bytes on disk sampled every 200 ms (series/*.csv), averaged over
 * 0.6 s or 1/60 of the run, whichever is longer.</li>
 * </ul>
 * Run: java --source 21 -Djava.awt.headless=true bench/tools/Charts.java RESULTS_DIR
 * (reads results.csv, ratios.csv and series/, writes charts/*.png and prints their names).
 */
public class Charts {
    static final Color OURS = new Color(0x1f77b4);
    static final Color[] OTHERS = {new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0x7f7f7f)};
    static final Color WIN = new Color(0x2ca02c);
    static final Color LOSE = new Color(0xd62728);
    static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Path out = Files.createDirectories(dir.resolve("charts"));
        if (Files.exists(dir.resolve("ratios.csv"))) {
            ratios(csv(dir.resolve("ratios.csv")), out.resolve("ratios.png"));
        }
        if (Files.isDirectory(dir.resolve("series"))) {
            rates(dir.resolve("series"), out);
        }
        bars(csv(dir.resolve("results.csv")), out);
    }

    /** Rows of a CSV as maps from header names to cells. */
    static List<Map<String, String>> csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] head = lines.getFirst().split(",");
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < head.length && i < f.length; i++) {
                row.put(head[i], f[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    static void ratios(List<Map<String, String>> rows, Path file) throws IOException {
        int rowH = 22, left = 330, plotW = 420, top = 50;
        int w = left + plotW + 210, h = top + rows.size() * rowH + 40;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, "ours / reference, median of the rounds (bar) and min-max (line); log scale");
        double lo = 1 / 8.0, hi = 8; // ratios outside are clipped to the edge and still labelled
        java.util.function.DoubleUnaryOperator x = v ->
                left + plotW * (Math.log(Math.max(lo, Math.min(hi, v))) - Math.log(lo)) / (Math.log(hi) - Math.log(lo));
        g.setColor(Color.LIGHT_GRAY);
        for (double t : new double[] {0.125, 0.25, 0.5, 1, 2, 4, 8}) {
            int gx = (int) x.applyAsDouble(t);
            g.drawLine(gx, top - 5, gx, top + rows.size() * rowH);
            g.drawString(fmt(t), gx - 8, top + rows.size() * rowH + 15);
        }
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> r = rows.get(i);
            double med = d(r.get("ratio_median")), mn = d(r.get("ratio_min")), mx = d(r.get("ratio_max"));
            boolean win = r.get("better").equals("lower") ? med < 1 : med > 1;
            int y = top + i * rowH;
            g.setColor(Color.BLACK);
            g.drawString(r.get("scenario") + " " + r.get("metric") + " vs " + r.get("ref"), 10, y + 15);
            int x1 = (int) x.applyAsDouble(1), x2 = (int) x.applyAsDouble(med);
            g.setColor(win ? WIN : LOSE);
            g.fillRect(Math.min(x1, x2), y + 4, Math.max(2, Math.abs(x2 - x1)), rowH - 8);
            g.setColor(Color.DARK_GRAY);
            g.drawLine((int) x.applyAsDouble(mn), y + rowH / 2, (int) x.applyAsDouble(mx), y + rowH / 2);
            g.drawString(fmt(med) + (win ? "  win" : "  lose") + " (" + r.get("better") + " better)", left + plotW + 8, y + 15);
        }
        g.setColor(Color.BLACK);
        g.drawLine((int) x.applyAsDouble(1), top - 5, (int) x.applyAsDouble(1), top + rows.size() * rowH);
        save(img, g, file);
    }

    static void bars(List<Map<String, String>> rows, Path out) throws IOException {
        // scenario -> metric -> tool -> values (all rounds)
        Map<String, Map<String, Map<String, List<Double>>>> data = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        for (Map<String, String> r : rows) {
            data.computeIfAbsent(r.get("scenario"), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.get("metric"), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.get("tool"), k -> new ArrayList<>()).add(d(r.get("value")));
            units.put(r.get("scenario") + "|" + r.get("metric"), r.get("unit") + ", " + r.get("better") + " is better");
        }
        for (var scenario : data.entrySet()) {
            Map<String, Map<String, List<Double>>> metrics = scenario.getValue();
            int panelW = 260, panelH = 240, w = panelW * metrics.size() + 20, h = panelH + 60;
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = canvas(img, scenario.getKey() + ": median of the rounds, line = min-max");
            int px = 10;
            for (var metric : metrics.entrySet()) {
                panel(g, px, 45, panelW - 20, panelH - 20, metric.getKey(),
                        units.get(scenario.getKey() + "|" + metric.getKey()), metric.getValue());
                px += panelW;
            }
            save(img, g, out.resolve("bars-" + scenario.getKey() + ".png"));
        }
    }

    static void panel(Graphics2D g, int x0, int y0, int w, int h, String metric, String unit, Map<String, List<Double>> tools) {
        g.setColor(Color.BLACK);
        g.drawString(metric, x0, y0);
        g.drawString("(" + unit + ")", x0, y0 + 15);
        double max = tools.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).max().orElse(1);
        int base = y0 + h - 20, plotH = h - 65, barW = Math.min(60, (w - 20) / Math.max(1, tools.size()) - 10);
        g.drawLine(x0, base, x0 + w, base);
        int i = 0;
        for (var t : oursFirst(tools).entrySet()) {
            List<Double> v = t.getValue().stream().sorted().toList();
            double med = v.size() % 2 == 1 ? v.get(v.size() / 2) : (v.get(v.size() / 2 - 1) + v.get(v.size() / 2)) / 2;
            int bx = x0 + 10 + i * (barW + 10);
            int bh = (int) (plotH * med / max);
            g.setColor(color(t.getKey()));
            g.fillRect(bx, base - bh, barW, bh);
            g.setColor(Color.BLACK);
            int yMin = base - (int) (plotH * v.getFirst() / max), yMax = base - (int) (plotH * v.getLast() / max);
            g.drawLine(bx + barW / 2, yMin, bx + barW / 2, yMax);
            g.drawLine(bx + barW / 2 - 4, yMax, bx + barW / 2 + 4, yMax);
            g.drawLine(bx + barW / 2 - 4, yMin, bx + barW / 2 + 4, yMin);
            g.drawString(fmt(med), bx, Math.min(base - bh, yMax) - 4);
            g.drawString(t.getKey(), bx, base + 15);
            i++;
        }
    }

    static void rates(Path seriesDir, Path out) throws IOException {
        // scenario -> tool -> samples (seconds, bytes); the first round of each client only
        Map<String, Map<String, List<Map<String, String>>>> data = new TreeMap<>();
        try (Stream<Path> files = Files.list(seriesDir)) {
            for (Path f : files.sorted().toList()) {
                String[] name = f.getFileName().toString().split("\\.");
                if (name.length != 4 || !name[2].equals("r1")) {
                    continue; // scenario.tool.rN.csv
                }
                data.computeIfAbsent(name[0], k -> new TreeMap<>()).put(name[1], csv(f));
            }
        }
        for (var series : data.entrySet()) {
            // a window of 0.6 s, or 1/60 of the longest run, so whole-piece writes and long runs stay readable
            double longest = series.getValue().values().stream().filter(l -> !l.isEmpty())
                    .mapToDouble(l -> d(l.getLast().get("seconds"))).max().orElse(1);
            double window = Math.max(0.6, longest / 60);
            Map<String, List<double[]>> scenario = new LinkedHashMap<>();
            series.getValue().forEach((tool, samples) -> scenario.put(tool, rate(samples, window)));
            int left = 60, top = 45, plotW = 640, plotH = 300;
            BufferedImage img = new BufferedImage(left + plotW + 30, top + plotH + 50, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = canvas(img, series.getKey() + ": leecher download rate (MiB/s over " + fmt(window)
                    + " s, bytes on disk), round 1");
            double maxT = 0.1, maxR = 1;
            for (List<double[]> pts : scenario.values()) {
                for (double[] p : pts) {
                    maxT = Math.max(maxT, p[0]);
                    maxR = Math.max(maxR, p[1]);
                }
            }
            g.setColor(Color.BLACK);
            g.drawRect(left, top, plotW, plotH);
            for (int k = 0; k <= 4; k++) {
                g.drawString(fmt(maxR * k / 4), 5, top + plotH - plotH * k / 4 + 4);
                g.drawString(fmt(maxT * k / 4) + " s", left + plotW * k / 4 - 10, top + plotH + 15);
            }
            int i = 0;
            for (var tool : oursFirst(scenario).entrySet()) {
                g.setColor(color(tool.getKey()));
                g.setStroke(new BasicStroke(2));
                int[] prev = null;
                for (double[] p : tool.getValue()) {
                    int[] cur = {left + (int) (plotW * p[0] / maxT), top + plotH - (int) (plotH * p[1] / maxR)};
                    if (prev != null) {
                        g.drawLine(prev[0], prev[1], cur[0], cur[1]);
                    }
                    prev = cur;
                }
                g.setStroke(new BasicStroke(1));
                g.fillRect(left + 10 + i * 110, top + plotH + 27, 12, 12);
                g.setColor(Color.BLACK);
                g.drawString(tool.getKey(), left + 26 + i * 110, top + plotH + 38);
                i++;
            }
            save(img, g, out.resolve("rates-" + series.getKey() + ".png"));
        }
    }

    /** MiB/s from (seconds, bytes) samples, each over the last {@code window} seconds. */
    static List<double[]> rate(List<Map<String, String>> samples, double window) {
        List<double[]> pts = new ArrayList<>();
        int j = 0;
        for (int i = 1; i < samples.size(); i++) {
            double t = d(samples.get(i).get("seconds"));
            while (j < i - 1 && t - d(samples.get(j + 1).get("seconds")) >= window) {
                j++;
            }
            double dt = t - d(samples.get(j).get("seconds"));
            double db = d(samples.get(i).get("bytes")) - d(samples.get(j).get("bytes"));
            if (dt > 0) {
                pts.add(new double[] {t, Math.max(0, db / dt / (1 << 20))});
            }
        }
        return pts;
    }

    /** Ours (or our secure mode) is always blue and first; each reference keeps one colour. */
    static Color color(String tool) {
        return switch (tool) {
            case "ours", "secure" -> OURS;
            case "aria2", "mktorrent", "opentracker", "plain" -> OTHERS[0];
            case "lt" -> OTHERS[1];
            default -> OTHERS[2 + Math.floorMod(tool.hashCode(), 2)];
        };
    }

    static <V> Map<String, V> oursFirst(Map<String, V> byTool) {
        Map<String, V> sorted = new LinkedHashMap<>();
        byTool.forEach((k, v) -> {
            if (color(k) == OURS) {
                sorted.put(k, v);
            }
        });
        sorted.putAll(byTool);
        return sorted;
    }

    static Graphics2D canvas(BufferedImage img, String title) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(TITLE);
        g.drawString(title, 10, 22);
        g.setFont(FONT);
        return g;
    }

    static void save(BufferedImage img, Graphics2D g, Path file) throws IOException {
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
        System.out.println(file.getFileName());
    }

    static double d(String s) {
        return Double.parseDouble(s);
    }

    static String fmt(double v) {
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
    }
}
