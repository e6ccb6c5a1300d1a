import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns bench/run.sh's results.csv (one row per measurement, see bench/lib.sh) into the ratios
 * the report quotes: for every scenario and metric, each reference tool against ours, round by
 * round (ours in round N / the reference in round N, both measured in the same run), and the
 * min/median/max of those per-round ratios. Writes ratios.csv and results.json beside the CSV
 * and prints a Markdown table for report.md.
 *
 * Run: java --source 21 bench/tools/Summary.java RESULTS_DIR
 */
public class Summary {
    record Row(String scenario, String metric, String tool, String role, int round, double value, String unit,
               String better) {
    }

    /** One comparison: ours against one reference in one scenario and metric. */
    record Ratio(String scenario, String metric, String ref, String unit, String better, double oursMedian,
                 double refMedian, double min, double median, double max, int rounds) {
        boolean weWin() {
            return better.equals("lower") ? median < 1 : median > 1;
        }
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        List<Row> rows = read(dir.resolve("results.csv"));
        List<Ratio> ratios = ratios(rows);
        writeRatios(dir.resolve("ratios.csv"), ratios);
        writeJson(dir.resolve("results.json"), rows);
        printTable(ratios, rows);
    }

    static List<Row> read(Path csv) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            String[] f = line.split(",");
            if (f.length != 8 || f[0].equals("scenario")) {
                continue;
            }
            try {
                rows.add(new Row(f[0], f[1], f[2], f[3], Integer.parseInt(f[4]), Double.parseDouble(f[5]), f[6], f[7]));
            } catch (NumberFormatException e) {
                System.err.println("summary: skipped a malformed row: " + line);
            }
        }
        return rows;
    }

    static List<Ratio> ratios(List<Row> rows) {
        // scenario|metric -> tool -> round -> value, in the order the benchmarks ran
        Map<String, Map<String, Map<Integer, Double>>> groups = new LinkedHashMap<>();
        Map<String, Row> sample = new LinkedHashMap<>();
        Map<String, String> oursTool = new LinkedHashMap<>();
        for (Row r : rows) {
            String key = r.scenario() + "|" + r.metric();
            groups.computeIfAbsent(key, k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.tool(), k -> new TreeMap<>()).put(r.round(), r.value());
            sample.putIfAbsent(key, r);
            if (r.role().equals("ours")) {
                oursTool.put(key, r.tool());
            }
        }
        List<Ratio> out = new ArrayList<>();
        for (var g : groups.entrySet()) {
            String ours = oursTool.get(g.getKey());
            if (ours == null) {
                continue;
            }
            Map<Integer, Double> oursByRound = g.getValue().get(ours);
            Row s = sample.get(g.getKey());
            for (var ref : g.getValue().entrySet()) {
                if (ref.getKey().equals(ours)) {
                    continue;
                }
                List<Double> perRound = new ArrayList<>();
                for (var e : oursByRound.entrySet()) {
                    Double theirs = ref.getValue().get(e.getKey());
                    if (theirs != null && theirs != 0) {
                        perRound.add(e.getValue() / theirs);
                    }
                }
                if (perRound.isEmpty()) {
                    continue;
                }
                double[] st = stats(perRound);
                out.add(new Ratio(s.scenario(), s.metric(), ref.getKey(), s.unit(), s.better(),
                        stats(new ArrayList<>(oursByRound.values()))[1], stats(new ArrayList<>(ref.getValue().values()))[1],
                        st[0], st[1], st[2], perRound.size()));
            }
        }
        return out;
    }

    /** {min, median, max} */
    static double[] stats(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = a.length;
        double median = n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
        return new double[] {a[0], median, a[n - 1]};
    }

    static void writeRatios(Path file, List<Ratio> ratios) throws IOException {
        StringBuilder sb = new StringBuilder(
                "scenario,metric,ref,unit,better,ours_median,ref_median,ratio_min,ratio_median,ratio_max,rounds\n");
        for (Ratio r : ratios) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%s,%.4f,%.4f,%.4f,%d%n", r.scenario(), r.metric(),
                    r.ref(), r.unit(), r.better(), num(r.oursMedian()), num(r.refMedian()), r.min(), r.median(), r.max(),
                    r.rounds()));
        }
        Files.writeString(file, sb);
    }

    static void writeJson(Path file, List<Row> rows) throws IOException {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sb.append(String.format(Locale.ROOT,
                    "  {\"scenario\": \"%s\", \"metric\": \"%s\", \"tool\": \"%s\", \"role\": \"%s\", \"round\": %d, "
                            + "\"value\": %s, \"unit\": \"%s\", \"better\": \"%s\"}%s%n",
                    r.scenario(), r.metric(), r.tool(), r.role(), r.round(), num(r.value()), r.unit(), r.better(),
                    i + 1 < rows.size() ? "," : ""));
        }
        Files.writeString(file, sb.append("]\n"));
    }

    static void printTable(List<Ratio> ratios, List<Row> rows) {
        System.out.println("| scenario | metric | ours (median) | reference (median) | ours/ref min / median / max | rounds | verdict |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Ratio r : ratios) {
            String verdict = (r.weWin() ? "we win" : "**we lose**") + " (" + r.better() + " is better)";
            System.out.printf(Locale.ROOT, "| %s | %s | %s %s | %s: %s %s | %.2f / **%.2f** / %.2f | %d | %s |%n",
                    r.scenario(), r.metric(), num(r.oursMedian()), r.unit(), r.ref(), num(r.refMedian()), r.unit(),
                    r.min(), r.median(), r.max(), r.rounds(), verdict);
        }
        // figures without a reference tool (e.g. the tracker's heap per peer) are listed as they are
        Map<String, List<Double>> alone = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        for (Row r : rows) {
            String key = r.scenario() + " | " + r.metric() + " | " + r.tool();
            boolean compared = ratios.stream().anyMatch(x -> x.scenario().equals(r.scenario()) && x.metric().equals(r.metric()));
            if (!compared) {
                alone.computeIfAbsent(key, k -> new ArrayList<>()).add(r.value());
                units.put(key, r.unit());
            }
        }
        if (!alone.isEmpty()) {
            System.out.println();
            System.out.println("Without a reference in this run:");
            System.out.println();
            for (var e : alone.entrySet()) {
                double[] st = stats(e.getValue());
                System.out.printf("- %s: median %s %s (%d rounds)%n", e.getKey().replace(" | ", ", "), num(st[1]),
                        units.get(e.getKey()), e.getValue().size());
            }
        }
    }

    /** Three significant figures or so, without trailing noise. */
    static String num(double v) {
        double a = Math.abs(v);
        String f = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, f, v);
    }
}
