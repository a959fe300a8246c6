package io.convey.admin;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON Schemas of the answer records, read from the records themselves (component order, {@link JsonProperty}
 * names, unwrapped and ignored components) so that the OpenAPI document says what Jackson writes. Only the few
 * annotations the admin records use are understood; a full generator (victools, swagger-core) would add a
 * dependency for this one document.
 */
final class RecordSchemas {
    /** Schemas by record name, in the order they were first reached. */
    private final Map<String, Object> schemas = new LinkedHashMap<>();

    Map<String, Object> schemas() {
        return schemas;
    }

    /** The schema of {@code type}: a {@code $ref} for records (added to {@link #schemas}), inline otherwise. */
    Map<String, Object> of(Type type) {
        if (type instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments();
            if (p.getRawType() == List.class) {
                return Map.of("type", "array", "items", of(args[0]));
            }
            if (p.getRawType() == Map.class) {
                return args[1] == Object.class ? Map.of("type", "object")
                        : Map.of("type", "object", "additionalProperties", of(args[1]));
            }
        }
        Class<?> c = (Class<?>) (type instanceof ParameterizedType p ? p.getRawType() : type);
        if (c == long.class || c == int.class || c == Long.class || c == Integer.class) {
            return Map.of("type", "integer");
        }
        if (c == double.class || c == Double.class) {
            return Map.of("type", "number");
        }
        if (c == boolean.class || c == Boolean.class) {
            return Map.of("type", "boolean");
        }
        if (c == Instant.class) {
            return Map.of("type", "string", "format", "date-time");
        }
        if (c == String.class) {
            return Map.of("type", "string");
        }
        if (c.isSealed()) {
            return Map.of("oneOf", Arrays.stream(c.getPermittedSubclasses()).map(this::of).toList());
        }
        if (c.isRecord()) {
            // named with the enclosing class: simple names repeat (Views.Health, AnnounceRoutes.Health)
            String name = c.getEnclosingClass() == null ? c.getSimpleName()
                    : c.getEnclosingClass().getSimpleName() + "." + c.getSimpleName();
            if (!schemas.containsKey(name)) {
                schemas.put(name, Map.of()); // reserves the name while its components are read
                schemas.put(name, record(c));
            }
            return Map.of("$ref", "#/components/schemas/" + name);
        }
        return Map.of("type", "object");
    }

    private Map<String, Object> record(Class<?> c) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new java.util.ArrayList<>();
        properties(c, properties, required, omitsNulls(c.getAnnotation(JsonInclude.class)));
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", required);
        boolean open = Arrays.stream(c.getMethods()).anyMatch(m -> m.isAnnotationPresent(JsonAnyGetter.class));
        schema.put("additionalProperties", open);
        return schema;
    }

    private static boolean omitsNulls(JsonInclude include) {
        return include != null && include.value() == JsonInclude.Include.NON_NULL;
    }

    /**
     * Adds {@code c}'s properties (Jackson's annotations do not target record components: javac puts them on the
     * accessor, field and constructor parameter, so they are read from the accessor); those Jackson always writes (null
     * included) are required.
     */
    private void properties(Class<?> c, Map<String, Object> out, List<String> required, boolean recordOmitsNulls) {
        for (RecordComponent rc : c.getRecordComponents()) {
            if (rc.getAccessor().isAnnotationPresent(JsonIgnore.class)) {
                continue;
            }
            if (rc.getAccessor().isAnnotationPresent(JsonUnwrapped.class)) {
                properties(rc.getType(), out, required, recordOmitsNulls);
                continue;
            }
            JsonProperty name = rc.getAccessor().getAnnotation(JsonProperty.class);
            String key = name == null ? rc.getName() : name.value();
            out.put(key, of(rc.getGenericType()));
            JsonInclude include = rc.getAccessor().getAnnotation(JsonInclude.class);
            boolean omitsNulls = include == null ? recordOmitsNulls : omitsNulls(include);
            if (rc.getType().isPrimitive() || !omitsNulls) {
                required.add(key);
            }
        }
    }
}
