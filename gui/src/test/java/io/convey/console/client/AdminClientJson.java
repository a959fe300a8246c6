package io.convey.console.client;

import com.fasterxml.jackson.core.JsonProcessingException;

/** Reads API documents with the console client's own JSON settings (for tests of what the views make of them). */
public final class AdminClientJson {
    private AdminClientJson() {
    }

    public static Api.Status status(String json) throws JsonProcessingException {
        return AdminClient.JSON.readValue(json, Api.Status.class);
    }
}
