package dev.configstore.examples.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One request's method, path, parameters (query and form body) and session cookie. */
final class Request {

    /** The largest form body read; a form of the dashboard is a few kilobytes. */
    private static final int MAX_BODY = 256 * 1024;

    final HttpExchange exchange;
    final String method;
    final String path;
    final Map<String, String> parameters;

    private Request(HttpExchange exchange, String method, String path, Map<String, String> parameters) {
        this.exchange = exchange;
        this.method = method;
        this.path = path;
        this.parameters = parameters;
    }

    static Request read(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        Map<String, String> parameters = new HashMap<>();
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            decode(query, parameters);
        }
        if (method.equals("POST")) {
            try (InputStream body = exchange.getRequestBody()) {
                byte[] bytes = body.readNBytes(MAX_BODY + 1);
                if (bytes.length > MAX_BODY) {
                    throw new IllegalArgumentException("the form is larger than " + MAX_BODY + " bytes");
                }
                decode(new String(bytes, StandardCharsets.UTF_8), parameters);
            }
        }
        return new Request(exchange, method, exchange.getRequestURI().getPath(), parameters);
    }

    private static void decode(String encoded, Map<String, String> into) {
        for (String pair : encoded.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            into.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
    }

    @Nullable
    String parameter(String name) {
        return parameters.get(name);
    }

    String parameter(String name, String otherwise) {
        String value = parameters.get(name);
        return value == null ? otherwise : value;
    }

    /** The session cookie's value, or null. */
    @Nullable
    String session() {
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String cookie : header.split(";", -1)) {
                String trimmed = cookie.trim();
                if (trimmed.startsWith(Access.COOKIE + "=")) {
                    return trimmed.substring(Access.COOKIE.length() + 1);
                }
            }
        }
        return null;
    }

    /** The token of an {@code Authorization: Bearer} header, or null. */
    @Nullable
    String bearer() {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }
}
