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
            Map<String, Double> percentiles) {

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
        chart(results, "WritePath", "Durable write on SQLite, µs per operation", images.resolve("write-path.png"));
        chart(results, "MissPath", "Cache miss on SQLite, µs per operation", images.resolve("miss-path.png"));
        chart(results, "Togglz.*Hit", "Hit: configstore and Togglz, ns", images.resolve("togglz-hit.png"));
        // One thread only: Togglz's two-thread writes take a hundred milliseconds and would flatten the rest.
        chart(
                results.stream().filter(result -> result.threads() == 1).toList(),
                "Togglz.*Write",
                "Durable write, one thread: configstore and Togglz, µs",
                images.resolve("togglz-write.png"));
        percentileChart(
                results, "MixedWorkload", "Mixed workload (99% reads), µs", images.resolve("mixed-latency.png"));
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
            results.add(new Result(
                    run.get("benchmark").asText(),
                    run.get("mode").asText(),
                    run.get("threads").asInt(),
                    params.toString(),
                    primary.get("score").asDouble(),
                    primary.get("scoreError").asDouble(),
                    primary.get("scoreUnit").asText(),
                    allocation,
                    percentiles));
        }
        return results;
    }

    static String markdown(List<Result> results) {
        StringBuilder out = new StringBuilder();
        out.append("| benchmark | mode | threads | parameters | score | ± error | unit | allocated B/op |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        for (Result result : results) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %s | %.3f | %.3f | %s | %s |%n",
                    result.shortName(),
                    mode(result.mode()),
                    result.threads(),
                    result.params().isEmpty() ? "" : result.params(),
                    result.score(),
                    Double.isNaN(result.error()) ? 0 : result.error(),
                    result.unit(),
                    Double.isNaN(result.allocatedBytesPerOp())
                            ? ""
                            : String.format(Locale.ROOT, "%.1f", result.allocatedBytesPerOp())));
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

    private static void chart(List<Result> results, String filter, String title, Path file) throws IOException {
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        for (Result result : results) {
            if (!result.benchmark().matches(".*(" + filter + ").*") || !"avgt".equals(result.mode())) {
                continue;
            }
            String name = result.threads()
                    + (result.threads() == 1 ? " thread" : " threads")
                    + (result.params().isEmpty() ? "" : " " + result.params());
            series.computeIfAbsent(name, key -> new LinkedHashMap<>()).put(result.shortName(), result.score());
        }
        if (series.isEmpty()) {
            return;
        }
        CategoryChart chart =
                new CategoryChartBuilder().width(900).height(480).title(title).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisLabelRotation(20);
        List<String> categories = new ArrayList<>();
        series.values()
                .forEach(values -> values.keySet().forEach(key -> {
                    if (!categories.contains(key)) {
                        categories.add(key);
                    }
                }));
        for (Map.Entry<String, Map<String, Double>> entry : series.entrySet()) {
            List<Double> values = new ArrayList<>();
            for (String category : categories) {
                values.add(entry.getValue().getOrDefault(category, 0.0));
            }
            chart.addSeries(entry.getKey(), categories, values);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void percentileChart(List<Result> results, String filter, String title, Path file)
            throws IOException {
        CategoryChart chart =
                new CategoryChartBuilder().width(900).height(480).title(title).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        List<String> labels = List.of("p50", "p90", "p99", "p99.9");
        List<String> keys = List.of("50.0", "90.0", "99.0", "99.9");
        boolean any = false;
        for (Result result : results) {
            if (!result.benchmark().contains(filter) || !"sample".equals(result.mode())) {
                continue;
            }
            List<Double> values = new ArrayList<>();
            keys.forEach(key -> values.add(result.percentiles().getOrDefault(key, 0.0)));
            String threads = result.threads() + (result.threads() == 1 ? " thread" : " threads");
            chart.addSeries(result.params().isEmpty() ? threads : result.params() + ", " + threads, labels, values);
            any = true;
        }
        if (any) {
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
