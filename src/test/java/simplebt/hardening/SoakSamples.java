package simplebt.hardening;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The soak's readings: one row a minute with a {@link ProcessStats.Sample} per long-running
 * process. {@link #table} prints them; {@link #problems} compares, per process, the average of
 * the last quarter of the rows with the first quarter's: threads, descriptors, heap after GC
 * and RSS must stay flat, within generous bounds (JIT and heap sizing settle in the first
 * minutes; a leak keeps growing).
 */
final class SoakSamples {
    record Row(double minutes, int steps, List<ProcessStats.Sample> samples) {
    }

    /** A metric, and how much its last-quarter average may exceed the first: first * factor + slack. */
    private record Bound(String name, ToDoubleFunction<ProcessStats.Sample> value, double factor, double slack) {
    }

    private static final List<Bound> BOUNDS = List.of(
            new Bound("threads", ProcessStats.Sample::threads, 1.5, 10),
            new Bound("fds", ProcessStats.Sample::fds, 1.5, 20),
            new Bound("heap MiB", s -> s.heapAfterGcKiB() / 1024.0, 2, 16),
            new Bound("RSS MiB", s -> s.rssKiB() / 1024.0, 2, 64));

    private final List<String> names;
    private final List<Row> rows = new ArrayList<>();

    SoakSamples(List<String> names) {
        this.names = names;
    }

    void add(Row row) {
        rows.add(row);
    }

    int size() {
        return rows.size();
    }

    /**
     * One line a minute: the first process (the tracker) on its own, the others summed (each is
     * also checked on its own by {@link #problems}). Heap is after a full GC, in MiB.
     */
    String table() {
        StringBuilder sb = new StringBuilder(String.format("%6s %6s | %-27s | %s%n", "min", "steps",
                names.get(0) + " thr / fds / heap / RSS", "other " + (names.size() - 1) + " summed: thr / fds / heap / RSS"));
        for (Row r : rows) {
            ProcessStats.Sample t = r.samples().get(0);
            List<ProcessStats.Sample> rest = r.samples().subList(1, r.samples().size());
            long heap = rest.stream().mapToLong(ProcessStats.Sample::heapAfterGcKiB).sum();
            sb.append(String.format("%6.1f %6d | %3d / %5d / %6s / %6s | %4d / %5d / %6.1f / %7.1f%n", r.minutes(),
                    r.steps(), t.threads(), t.fds(), t.heapMiB(), t.rssMiB(),
                    rest.stream().mapToInt(ProcessStats.Sample::threads).sum(),
                    rest.stream().mapToInt(ProcessStats.Sample::fds).sum(), heap / 1024.0,
                    rest.stream().mapToLong(ProcessStats.Sample::rssKiB).sum() / 1024.0));
        }
        return sb.toString();
    }

    /** First-quarter vs last-quarter averages per process and metric, and which grew too much. */
    List<String> problems(StringBuilder summary) {
        List<String> problems = new ArrayList<>();
        int quarter = Math.max(1, rows.size() / 4);
        for (int p = 0; p < names.size(); p++) {
            for (Bound b : BOUNDS) {
                double first = average(rows.subList(0, quarter), p, b);
                double last = average(rows.subList(rows.size() - quarter, rows.size()), p, b);
                if (first < 0 || last < 0) {
                    continue; // heap not measurable (no jcmd)
                }
                String line = String.format("%s %s: first quarter %.1f, last quarter %.1f", names.get(p), b.name(), first, last);
                summary.append(line).append('\n');
                if (last > first * b.factor() + b.slack()) {
                    problems.add(line + String.format(" (bound %.1f)", first * b.factor() + b.slack()));
                }
            }
        }
        return problems;
    }

    private static double average(List<Row> part, int process, Bound b) {
        return part.stream().mapToDouble(r -> b.value().applyAsDouble(r.samples().get(process))).average().orElse(-1);
    }
}
