package dev.configstore.settings;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Turns a setting's value into the text that is stored and back. Storage, the environment and
 * tools only ever hold text; a codec is the one place that says what the text means.
 *
 * <p>A codec guarantees, for every value {@code v} it encodes, that {@code decode(encode(v))}
 * equals {@code v}; {@link #decode} refuses any text it cannot read with an {@link
 * IllegalArgumentException} whose message says what is wrong with it (the caller adds which
 * setting and which value). Decoded values must be immutable (or never changed): one decoded value
 * is served to every reader. The built-in codecs are immutable and thread-safe; a user's codec
 * must be thread-safe too.
 *
 * <p>{@link #type()} is a stable name for the type, recorded with the declaration so that a tool
 * without the application's code can tell what a stored text is: {@code string}, {@code int},
 * {@code long}, {@code boolean}, {@code enum(A,B,…)}, {@code snowflake}, {@code duration} and
 * {@code list<…>} for the built-in codecs.
 *
 * @param <T> the value type
 */
public interface Codec<T> {

    /**
     * Returns the stable name of this codec's type.
     *
     * @return the type name, such as {@code int} or {@code list<snowflake>}
     */
    String type();

    /**
     * Reads a value from its text.
     *
     * @param text the stored or configured text
     * @return the value, never null
     * @throws IllegalArgumentException if the text is not a value of this type; the message says
     *     why
     */
    T decode(String text);

    /**
     * Writes a value as text that {@link #decode} reads back as an equal value.
     *
     * @param value the value
     * @return its text
     * @throws IllegalArgumentException if the value cannot be written (such as a list holding
     *     null)
     */
    String encode(T value);

    /**
     * Returns the codec for text, stored as it is.
     *
     * @return the {@code string} codec
     */
    static Codec<String> string() {
        return Codecs.STRING;
    }

    /**
     * Returns the codec for {@code int} values, written in ASCII decimal with an optional leading
     * minus sign ({@code -12}; no plus sign, spaces or other digits).
     *
     * @return the {@code int} codec
     */
    static Codec<Integer> integer() {
        return Codecs.INT;
    }

    /**
     * Returns the codec for {@code long} values, written like {@link #integer()}'s.
     *
     * @return the {@code long} codec
     */
    static Codec<Long> longInteger() {
        return Codecs.LONG;
    }

    /**
     * Returns the codec for switches: exactly {@code true} or {@code false}.
     *
     * @return the {@code boolean} codec
     */
    static Codec<Boolean> bool() {
        return Codecs.BOOLEAN;
    }

    /**
     * Returns the codec for an enum, written as the constant's exact name.
     *
     * @param type the enum class
     * @param <E> the enum type
     * @return a codec whose type name lists the constants, such as {@code enum(EN,DE,FR)}
     * @throws IllegalArgumentException if {@code type} is null or has no constants
     */
    static <E extends Enum<E>> Codec<E> enumeration(Class<E> type) {
        return Codecs.enumeration(type);
    }

    /**
     * Returns the codec for Discord snowflakes (guild, channel, role and user ids): canonical
     * decimal text of an unsigned 64-bit number, checked as {@link
     * dev.configstore.guild.Snowflakes} does. Values are that text.
     *
     * @return the {@code snowflake} codec
     */
    static Codec<String> snowflake() {
        return Codecs.SNOWFLAKE;
    }

    /**
     * Returns the codec for durations in ISO-8601 form, such as {@code PT10M} or {@code P1D}, as
     * {@link Duration#parse} reads and {@link Duration#toString} writes them.
     *
     * @return the {@code duration} codec
     */
    static Codec<Duration> duration() {
        return Codecs.DURATION;
    }

    /**
     * Returns the codec for lists of another codec's values, stored as a JSON array of the
     * elements' texts as strings, such as {@code ["123","456"]}, so that any JSON reader can read
     * it. Decoded lists are unmodifiable.
     *
     * @param element the codec of the elements
     * @param <E> the element type
     * @return a codec whose type name is {@code list<} the element's type {@code >}
     * @throws IllegalArgumentException if {@code element} is null
     */
    static <E> Codec<List<E>> list(Codec<E> element) {
        return Codecs.list(element);
    }

    /**
     * Returns a codec made of two functions, for the application's own types.
     *
     * @param type the stable type name to record, such as {@code json:welcome-message}
     * @param decoder reads a value; throws {@link IllegalArgumentException} saying why it cannot
     * @param encoder writes a value
     * @param <T> the value type
     * @return the codec
     * @throws IllegalArgumentException if an argument is null or {@code type} is blank
     */
    static <T> Codec<T> of(String type, Function<String, ? extends T> decoder, Function<? super T, String> encoder) {
        return Codecs.of(type, decoder, encoder);
    }

    /**
     * Returns a codec for a type name recorded with a declaration ({@link #type()}), for tools
     * that read the record without the application's code. A built-in type name gives the
     * built-in codec: {@code string}, {@code int}, {@code long}, {@code boolean}, {@code
     * snowflake}, {@code duration}, {@code list<…>} of any of these; {@code enum(A,B,…)} gives a
     * codec of the constants' names as text, accepting only those names. Any other name (a
     * user's codec) gives a codec that keeps the stored text exactly as it is, under that name.
     *
     * @param type the recorded type name
     * @return the codec, whose {@link #type()} is {@code type}
     * @throws IllegalArgumentException if {@code type} is blank, or an {@code enum(…)} or {@code
     *     list<…>} name is malformed
     */
    static Codec<?> forType(String type) {
        return Codecs.forType(type);
    }
}
