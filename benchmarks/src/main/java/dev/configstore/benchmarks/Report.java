package dev.configstore.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.DoubleStream;
import org.jspecify.annotations.Nullable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Turns JMH's JSON results into a Markdown table of every result, the ratios the benchmarks exist
 * to show, and PNG bar charts.
 *
 * <p>{@code java -cp benchmarks.jar dev.configstore.benchmarks.Report RESULTS.json... OUT_MD IMG_DIR}
 */
public final class Report {

    private Report() {}

    /** One JMH result. */
    record Result(
            String benchmark,
            String mode,
            int threads,
            String params,
            double score,
            double error,
            String unit,
            double allocatedBytesPerOp,
            Map<String, Double> percentiles,
            int iterationsDone,
            int iterationsPlanned) {

        /** Whether a fork failed: its score rests on fewer iterations than planned. */
        boolean incomplete() {
            return iterationsDone < iterationsPlanned;
        }

        String shortName() {
            int method = benchmark.lastIndexOf('.');
            int type = benchmark.lastIndexOf('.', method - 1);
            return benchmark.substring(type + 1, method).replace("Benchmark", "") + benchmark.substring(method);
        }
    }

    /**
     * Writes the report.
     *
     * @param args result files, then the Markdown file, then the image folder
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: Report RESULTS.json... OUT.md IMG_DIR");
            System.exit(1);
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < args.length - 2; i++) {
            results.addAll(read(Path.of(args[i])));
        }
        Path markdown = Path.of(args[args.length - 2]);
        Path images = Path.of(args[args.length - 1]);
        Files.createDirectories(images);
        Files.writeString(markdown, markdown(results), StandardCharsets.UTF_8);
        chart(results, "HitPath|FacadeHit", "Cache hit, ns per operation", images.resolve("hit-path.png"));
        chartPerThreadCount(
                results, "WritePath", "Durable write on SQLite, µs per operation", images.resolve("write-path.png"));
        chart(results, "MissPath", "Cache miss on SQLite, µs per operation", images.resolve("miss-path.png"));
        chart(results, "Togglz.*Hit", "Hit: configstore and Togglz, ns", images.resolve("togglz-hit.png"));
        // One thread only: Togglz's two-thread writes take a hundred milliseconds and would flatten the rest.
        chart(
                results.stream().filter(result -> result.threads() == 1).toList(),
                "Togglz.*Write",
                "Durable write, one thread: configstore and Togglz, µs",
                images.resolve("togglz-write.png"));
        percentileChart(
                results,
                "MixedWorkload",
                "Mixed workload: reads, with a write every 100 operations, µs",
                images.resolve("mixed-latency.png"));
        percentileChart(
                results, "ChangeFeedDelay", "Change made elsewhere until seen, ms", images.resolve("feed-delay.png"));
    }

    static List<Result> read(Path file) throws IOException {
        List<Result> results = new ArrayList<>();
        for (JsonNode run : new ObjectMapper().readTree(file.toFile())) {
            JsonNode primary = run.get("primaryMetric");
            StringBuilder params = new StringBuilder();
            JsonNode paramNode = run.get("params");
            if (paramNode != null) {
                for (Map.Entry<String, JsonNode> param : paramNode.properties()) {
                    params.append(params.length() == 0 ? "" : ", ")
                            .append(param.getKey())
                            .append('=')
                            .append(param.getValue().asText());
                }
            }
            JsonNode secondary = run.get("secondaryMetrics");
            double allocation = Double.NaN;
            if (secondary != null && secondary.has("gc.alloc.rate.norm")) {
                allocation = secondary.get("gc.alloc.rate.norm").get("score").asDouble();
            }
            Map<String, Double> percentiles = new TreeMap<>();
            JsonNode percentileNode = primary.get("scorePercentiles");
            if (percentileNode != null) {
                for (Map.Entry<String, JsonNode> entry : percentileNode.properties()) {
                    percentiles.put(entry.getKey(), entry.getValue().asDouble());
                }
            }
            // Per fork, per iteration: scores ("rawData"), or histograms in sample mode.
            JsonNode forks = primary.has("rawData") ? primary.get("rawData") : primary.path("rawDataHistogram");
            int done = 0;
            for (JsonNode fork : forks) {
                done += fork.size();
            }
            int planned =
                    run.get("forks").asInt() * run.get("measurementIterations").asInt();
            results.add(new Result(
                    run.get("benchmark").asText(),
                    run.get("mode").asText(),
                    run.get("threads").asInt(),
                    params.toString(),
                    primary.get("score").asDouble(),
                    primary.get("scoreError").asDouble(),
                    primary.get("scoreUnit").asText(),
                    allocation,
                    percentiles,
                    done,
                    Math.max(planned, done)));
        }
        return results;
    }

    static String markdown(List<Result> results) {
        StringBuilder out = new StringBuilder();
        out.append(
                "| benchmark | mode | threads | parameters | score | ± error | unit | allocated B/op | iterations |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Result result : results) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %s | %.3f | %.3f | %s | %s | %s |%n",
                    result.shortName(),
                    mode(result.mode()),
                    result.threads(),
                    result.params().isEmpty() ? "" : result.params(),
                    result.score(),
                    Double.isNaN(result.error()) ? 0 : result.error(),
                    result.unit(),
                    Double.isNaN(result.allocatedBytesPerOp())
                            ? ""
                            : String.format(Locale.ROOT, "%.1f", result.allocatedBytesPerOp()),
                    result.incomplete()
                            ? "**" + result.iterationsDone() + " of " + result.iterationsPlanned() + ": a fork failed**"
                            : Integer.toString(result.iterationsDone())));
        }
        out.append(
                "\n| percentiles | threads | p50 | p90 | p99 | p99.9 | max | unit |\n|---|---|---|---|---|---|---|---|\n");
        for (Result result : results) {
            if (!"sample".equals(result.mode())) {
                continue;
            }
            Map<String, Double> p = result.percentiles();
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %s |%n",
                    result.shortName(),
                    result.threads(),
                    p.getOrDefault("50.0", Double.NaN),
                    p.getOrDefault("90.0", Double.NaN),
                    p.getOrDefault("99.0", Double.NaN),
                    p.getOrDefault("99.9", Double.NaN),
                    p.getOrDefault("100.0", Double.NaN),
                    result.unit()));
        }
        return out.toString();
    }

    private static String mode(String mode) {
        return switch (mode) {
            case "avgt" -> "average";
            case "thrpt" -> "throughput";
            case "sample" -> "sample";
            default -> mode;
        };
    }

    /** One bar per benchmark, a series per thread count and parameters. */
    private static void chart(List<Result> results, String filter, String title, Path file) throws IOException {
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        for (Result result : averages(results, filter)) {
            String name = threads(result) + (result.params().isEmpty() ? "" : " " + result.params());
            series.computeIfAbsent(name, key -> new LinkedHashMap<>()).put(result.shortName(), result.score());
        }
        barChart(title, series, false, file);
    }

    /**
     * One chart per thread count, a group of bars per parameter set, a series per benchmark, on a
     * logarithmic axis (the candidates span three orders of magnitude). A result whose fork failed
     * is left out: its score is not comparable with the others.
     */
    private static void chartPerThreadCount(List<Result> results, String filter, String title, Path file)
            throws IOException {
        Map<Integer, Map<String, Map<String, Double>>> byThreads = new TreeMap<>();
        for (Result result : averages(results, filter)) {
            if (result.incomplete()) {
                continue;
            }
            byThreads
                    .computeIfAbsent(result.threads(), threads -> new LinkedHashMap<>())
                    .computeIfAbsent(result.shortName(), name -> new LinkedHashMap<>())
                    .put(label(result.params()), result.score());
        }
        for (Map.Entry<Integer, Map<String, Map<String, Double>>> entry : byThreads.entrySet()) {
            String name = file.getFileName().toString().replace(".png", "-t" + entry.getKey() + ".png");
            barChart(
                    title + ", " + (entry.getKey() == 1 ? "1 thread" : entry.getKey() + " threads"),
                    entry.getValue(),
                    true,
                    file.resolveSibling(name));
        }
    }

    /** Parameters as a short axis label: "changeLog=true, synchronous=FULL" becomes "trigger, FULL". */
    private static String label(String params) {
        return params.replace("changeLog=true", "trigger")
                .replace("changeLog=false", "no trigger")
                .replace("synchronous=", "");
    }

    private static List<Result> averages(List<Result> results, String filter) {
        return results.stream()
                .filter(result -> result.benchmark().matches(".*(" + filter + ").*"))
                .filter(result -> "avgt".equals(result.mode()))
                .toList();
    }

    private static String threads(Result result) {
        return result.threads() + (result.threads() == 1 ? " thread" : " threads");
    }

    /** Draws bars by category (the inner maps' keys), one colour per series; a missing value is no bar. */
    private static void barChart(String title, Map<String, Map<String, Double>> series, boolean logarithmic, Path file)
            throws IOException {
        if (series.isEmpty()) {
            return;
        }
        List<String> categories = new ArrayList<>();
        series.values()
                .forEach(values -> values.keySet().forEach(key -> {
                    if (!categories.contains(key)) {
                        categories.add(key);
                    }
                }));
        CategoryChart chart = newChart(title, logarithmic);
        chart.getStyler().setXAxisLabelRotation(categories.size() > 4 ? 20 : 0);
        if (logarithmic) {
            chart.getStyler()
                    .setYAxisMin(decadeBelow(series.values().stream()
                            .flatMap(values -> values.values().stream())
                            .mapToDouble(Double::doubleValue)));
        }
        for (Map.Entry<String, Map<String, Double>> entry : series.entrySet()) {
            List<@Nullable Double> values = new ArrayList<>();
            for (String category : categories) {
                values.add(entry.getValue().get(category));
            }
            chart.addSeries(entry.getKey(), categories, values);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** The power of ten at or below the smallest value: where a logarithmic axis's bars start. */
    private static double decadeBelow(DoubleStream values) {
        double smallest = values.filter(value -> value > 0).min().orElse(1);
        return Math.pow(10, Math.floor(Math.log10(smallest)));
    }

    private static CategoryChart newChart(String title, boolean logarithmic) {
        CategoryChart chart =
                new CategoryChartBuilder().width(900).height(520).title(title).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        chart.getStyler().setYAxisLogarithmic(logarithmic);
        return chart;
    }

    private static void percentileChart(List<Result> results, String filter, String title, Path file)
            throws IOException {
        // Logarithmic: the median and the tail differ by orders of magnitude.
        CategoryChart chart = newChart(title, true);
        List<String> labels = List.of("p50", "p90", "p99", "p99.9");
        List<String> keys = List.of("50.0", "90.0", "99.0", "99.9");
        List<Result> sampled = results.stream()
                .filter(result -> result.benchmark().contains(filter) && "sample".equals(result.mode()))
                .toList();
        chart.getStyler()
                .setYAxisMin(decadeBelow(sampled.stream()
                        .flatMap(result ->
                                keys.stream().map(key -> result.percentiles().getOrDefault(key, 0.0)))
                        .mapToDouble(Double::doubleValue)));
        boolean any = false;
        for (Result result : sampled) {
            List<Double> values = new ArrayList<>();
            keys.forEach(key -> values.add(result.percentiles().getOrDefault(key, 0.0)));
            String threads = threads(result);
            chart.addSeries(result.params().isEmpty() ? threads : result.params() + ", " + threads, labels, values);
            any = true;
        }
        if (any) {
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
