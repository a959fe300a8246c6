package io.convey.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** An enum whose constants are written in TOML and the API as lower-case words ({@code dsr_method = "l2"}). */
public interface ConfigWord {

    /** The word in TOML and the API: the constant's name in lower case. */
    default String id() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} written as {@code id}, if any. */
    static <E extends Enum<E> & ConfigWord> Optional<E> fromId(Class<E> type, String id) {
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.id().equals(id)).findFirst();
    }

    /** The words of {@code type}, for messages: "a, b, c". */
    static <E extends Enum<E> & ConfigWord> String ids(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(ConfigWord::id).collect(Collectors.joining(", "));
    }
}
