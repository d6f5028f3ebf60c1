package dev.configstore.examples.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The open pages' server-sent event streams. The store's change listeners call {@link #changed}
 * with a guild's id ({@code ""} for a global change, {@code *} when changes may have been missed);
 * every stream sends it on, and a page showing that guild reads its values again.
 */
final class Live {

    /** Sent now and then so that a proxy or the browser does not take the stream for dead. */
    private static final long KEEP_ALIVE_SECONDS = 15;

    private static final String CLOSED = "\0closed";

    private final Set<BlockingQueue<String>> streams = ConcurrentHashMap.newKeySet();

    /** Tells every open stream that a guild's settings changed; called from the feed's thread. */
    void changed(String guildId) {
        for (BlockingQueue<String> stream : streams) {
            stream.offer(guildId);
        }
    }

    /** Serves one stream until the page goes away or the dashboard closes. */
    void serve(HttpExchange exchange) throws IOException {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        streams.add(queue);
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            // The page knows it is live once this arrives.
            send(out, "retry: 500\nevent: open\ndata: live\n\n");
            while (true) {
                String guildId = queue.poll(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
                if (CLOSED.equals(guildId)) {
                    return;
                }
                send(out, guildId == null ? ": keep-alive\n\n" : "data: " + guildId + "\n\n");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.remove(queue);
            exchange.close();
        }
    }

    private static void send(OutputStream out, String event) throws IOException {
        out.write(event.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Ends every stream. */
    void close() {
        for (BlockingQueue<String> stream : streams) {
            stream.offer(CLOSED);
        }
    }
}
