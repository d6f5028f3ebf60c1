package dev.configstore.examples.bot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.configstore.settings.Codec;

/**
 * A setting type of the bot's own, stored as JSON with Jackson: how a bot declares a setting whose
 * value is a record. configstore itself has no JSON dependency; a codec is all it needs.
 *
 * <p>Decoding is strict (unknown fields, missing fields and trailing text are refused), so a value
 * written by hand that does not fit the record is skipped when read instead of being served half
 * filled. The record checks its own fields in its constructor; its message becomes the reason
 * the value was refused or skipped.
 *
 * @param <T> the record type
 */
public final class JsonCodec<T> implements Codec<T> {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Class<T> type;

    private JsonCodec(Class<T> type) {
        this.type = type;
    }

    /**
     * Returns the codec for a record type.
     *
     * @param type the record class; its components must be types Jackson reads and writes
     * @param <T> the record type
     * @return the codec, whose type name is {@code json}
     * @throws IllegalArgumentException if {@code type} is not a record
     */
    public static <T extends Record> JsonCodec<T> of(Class<T> type) {
        if (type == null || !type.isRecord()) {
            throw new IllegalArgumentException("A JSON codec is for a record class, got " + type);
        }
        return new JsonCodec<>(type);
    }

    @Override
    public String type() {
        // Tools without the bot's code see the value as JSON text.
        return "json";
    }

    @Override
    public T decode(String text) {
        try {
            T value = MAPPER.readValue(text, type);
            if (value == null) {
                throw new IllegalArgumentException("expected a JSON object for " + type.getSimpleName() + ", got null");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "not a " + type.getSimpleName() + " in JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public String encode(T value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value + " as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
