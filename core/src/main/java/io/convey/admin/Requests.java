package io.convey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/** Reads request bodies (size-limited), JSON fields with their types checked, and {@code If-Match}. */
final class Requests {
    /** Bodies above this answer 413; a whole config file is a few kilobytes. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private Requests() {}

    /** The body as UTF-8 text; reads at most {@link #MAX_BODY_BYTES} + 1 bytes, whatever Content-Length says. */
    static String text(Context ctx) throws IOException {
        InputStream in = ctx.req().getInputStream();
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static ApiErrors.ApiException tooLarge() {
        return new ApiErrors.ApiException(413, "the request body is too large", List.of(
                new ApiErrors.ApiProblem("", "more than " + MAX_BODY_BYTES + " bytes (expected: at most 1 MiB)")));
    }

    /** The body as a JSON object whose fields are all among {@code known}. */
    static ObjectNode object(Context ctx, ObjectMapper mapper, Set<String> known) throws IOException {
        JsonNode node = mapper.readTree(text(ctx));
        if (node == null || !node.isObject()) {
            throw ApiErrors.badRequest("", (node == null ? "empty body" : node.getNodeType().toString().toLowerCase())
                    + " (expected: a JSON object)");
        }
        for (String field : (Iterable<String>) node::fieldNames) {
            if (!known.contains(field)) {
                throw ApiErrors.badRequest(field, "unknown field (expected one of: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
        return (ObjectNode) node;
    }

    /** An integer field, or null when absent; {@code path} names it in errors, e.g. backends.web.servers.a.weight. */
    static Long integer(JsonNode body, String field, String path) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw ApiErrors.badRequest(path, value + " (expected: an integer)");
        }
        return value.asLong();
    }

    /** A boolean field, or null when absent. */
    static Boolean bool(JsonNode body, String field, String path) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw ApiErrors.badRequest(path, value + " (expected: true or false)");
        }
        return value.asBoolean();
    }

    /** A string field, or null when absent. */
    static String string(JsonNode body, String field, String path) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiErrors.badRequest(path, value + " (expected: a string)");
        }
        return value.asText();
    }

    static String requiredString(JsonNode body, String field, String path) {
        String value = string(body, field, path);
        if (value == null) {
            throw ApiErrors.badRequest(path, "missing (expected: a string)");
        }
        return value;
    }

    /** {@code If-Match: "7"} (quotes and a weak prefix optional); absent or {@code *} means any version. */
    static OptionalLong ifMatch(Context ctx) {
        String header = ctx.header("If-Match");
        if (header == null || header.isBlank() || header.strip().equals("*")) {
            return OptionalLong.empty();
        }
        String value = header.strip();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        value = value.replace("\"", "");
        try {
            return OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            // RFC 9110 13.1.1: a tag that matches no current representation is a failed precondition, not a bad request
            throw new ApiErrors.ApiException(412, "the configuration changed meanwhile", List.of(new ApiErrors.ApiProblem(
                    "If-Match", header + " (expected: the running config version, e.g. \"7\")")));
        }
    }

    /** A numeric path or query parameter. */
    static long number(String text, String name) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiErrors.badRequest(name, "\"" + text + "\" (expected: a number)");
        }
    }
}
