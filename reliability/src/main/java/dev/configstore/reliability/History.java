package dev.configstore.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Reads the history files a run left in a folder and merges them into one list of operations. */
final class History {

    private History() {}

    /** Every operation of every {@code *.history} file in {@code folder}. */
    static List<Op> read(Path folder) {
        List<Op> ops = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.history")) {
            for (Path file : files) {
                ops.addAll(parse(
                        Files.readAllLines(file, StandardCharsets.UTF_8),
                        file.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the history in " + folder, e);
        }
        return ops;
    }

    /**
     * The operations of one file's lines. A write invoked but never completed (its process was
     * killed) is open: its outcome is unknown. Only the last line may be cut short (a process killed
     * while writing it); it is ignored.
     */
    static List<Op> parse(List<String> lines, String source) {
        List<Op> ops = new ArrayList<>();
        Map<Long, String[]> invoked = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String[] f = line.split("\t", -1);
            try {
                switch (f[0]) {
                    case "W" -> invoked.put(Long.parseLong(f[1]), f);
                    case "C" -> {
                        String[] w = invoked.remove(Long.parseLong(f[1]));
                        if (w == null) {
                            throw new IllegalStateException("completion of a write never invoked");
                        }
                        Op.Outcome outcome = Op.Outcome.valueOf(f[3]);
                        long end = outcome == Op.Outcome.UNKNOWN ? Op.OPEN_END : Long.parseLong(f[2]);
                        ops.add(write(w, end, outcome, f[4]));
                    }
                    case "R" ->
                        ops.add(new Op(
                                f[1],
                                Integer.parseInt(f[2]),
                                Op.Kind.GET,
                                f[3],
                                value(f[7]),
                                Long.parseLong(f[4]),
                                Long.parseLong(f[5]),
                                Op.Outcome.valueOf(f[6]),
                                f[8]));
                    default -> throw new IllegalStateException("unknown record");
                }
            } catch (RuntimeException e) {
                if (i == lines.size() - 1) {
                    break; // cut short by a kill
                }
                throw new IllegalStateException(source + " line " + (i + 1) + " is malformed: " + line, e);
            }
        }
        for (String[] w : invoked.values()) {
            ops.add(write(w, Op.OPEN_END, Op.Outcome.UNKNOWN, "no completion recorded: the process was killed"));
        }
        return ops;
    }

    private static Op write(String[] w, long end, Op.Outcome outcome, String detail) {
        return new Op(
                w[2],
                Integer.parseInt(w[3]),
                Op.Kind.valueOf(w[4]),
                w[5],
                value(w[6]),
                Long.parseLong(w[7]),
                end,
                outcome,
                detail);
    }

    private static @Nullable String value(String shown) {
        return shown.equals(HistoryLog.ABSENT) ? null : shown;
    }
}
