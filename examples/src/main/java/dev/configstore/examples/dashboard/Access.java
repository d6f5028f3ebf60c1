package dev.configstore.examples.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Who may use the dashboard: whoever knows the admin token, given once on the login form (which
 * then sets a session cookie) or with every request as {@code Authorization: Bearer TOKEN}. Each
 * session has a CSRF token of its own that every form carries and every write checks.
 */
final class Access {

    /** The session cookie's name. */
    static final String COOKIE = "configstore_dashboard_session";

    /** The shortest admin token accepted. */
    static final int MIN_TOKEN_LENGTH = 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] token;
    /** CSRF tokens by session id. */
    private final Map<String, String> sessions = new ConcurrentHashMap<>();

    private Access(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Checks the admin token.
     *
     * @throws IllegalArgumentException if it is missing or too short; the message says what to do
     */
    static Access of(@Nullable String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException(Dashboard.TOKEN_VARIABLE + " is not set: the dashboard does not start"
                    + " without an admin token. Set it to a long random secret (for example: export "
                    + Dashboard.TOKEN_VARIABLE + "=$(openssl rand -hex 32)) and start it again.");
        }
        if (token.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException(Dashboard.TOKEN_VARIABLE + " is " + token.length()
                    + " characters long; use at least " + MIN_TOKEN_LENGTH + " (for example: openssl rand -hex 32)");
        }
        return new Access(token);
    }

    /** Whether {@code candidate} is the admin token, compared in constant time. */
    boolean isToken(@Nullable String candidate) {
        return candidate != null && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }

    /** Starts a session after a correct login; returns its id. */
    String newSession() {
        String id = random();
        sessions.put(id, random());
        return id;
    }

    /** The CSRF token of a session, or null if there is no such session. */
    @Nullable
    String csrf(@Nullable String session) {
        return session == null ? null : sessions.get(session);
    }

    void endSession(@Nullable String session) {
        if (session != null) {
            sessions.remove(session);
        }
    }

    /** Whether a form's CSRF token is its session's, compared in constant time. */
    boolean csrfMatches(@Nullable String session, @Nullable String candidate) {
        String expected = csrf(session);
        return expected != null
                && candidate != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
