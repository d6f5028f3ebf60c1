package dev.configstore.reliability;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Appends one process's operations to its history file, one line per record, each written with
 * one unbuffered {@code write} so that it is in the operating system's hands before the operation
 * it records goes on: a process killed with SIGKILL loses no record it wrote. A write is recorded
 * twice, its invocation before it is called (so that no value can reach the database unrecorded)
 * and its completion after; a read once, after it returned.
 *
 * <p>Lines are tab-separated: {@code W seq process thread kind key value start}, {@code C seq end
 * outcome detail} and {@code R process thread key start end outcome value detail}, with {@code -}
 * for an absent value.
 */
final class HistoryLog implements AutoCloseable {

    static final String ABSENT = "-";

    private final FileOutputStream out;
    private final String process;
    private final AtomicLong sequence = new AtomicLong();

    private HistoryLog(FileOutputStream out, String process) {
        this.out = out;
        this.process = process;
    }

    static HistoryLog open(Path file, String process) {
        try {
            return new HistoryLog(new FileOutputStream(file.toFile(), true), process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open history file " + file, e);
        }
    }

    /** Records that a write is about to be called; returns the number to complete it with. */
    long invoke(int thread, Op.Kind kind, String key, @Nullable String value, long start) {
        long seq = sequence.incrementAndGet();
        append("W\t" + seq + "\t" + process + "\t" + thread + "\t" + kind + "\t" + key + "\t" + shown(value) + "\t"
                + start);
        return seq;
    }

    /** Records how the write {@code seq} ended. */
    void complete(long seq, long end, Op.Outcome outcome, String detail) {
        append("C\t" + seq + "\t" + end + "\t" + outcome + "\t" + clean(detail));
    }

    /** Records a read that has returned (or failed). */
    void read(int thread, String key, long start, long end, Op.Outcome outcome, @Nullable String value, String detail) {
        append("R\t" + process + "\t" + thread + "\t" + key + "\t" + start + "\t" + end + "\t" + outcome + "\t"
                + shown(value) + "\t" + clean(detail));
    }

    private static String shown(@Nullable String value) {
        return value == null ? ABSENT : value;
    }

    private static String clean(String detail) {
        String flat = detail.replaceAll("[\\t\\r\\n]+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }

    private synchronized void append(String line) {
        try {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the history of " + process, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the history of " + process, e);
        }
    }
}
