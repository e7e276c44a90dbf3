package io.flowhost.alerts;

/** Rules written as a user writes them, with single quotes for JSON's double ones. */
final class TestRules {

    private TestRules() {}

    /** One rule from its JSON object, with ' for ". */
    static Rule rule(String json) {
        return settings("{'rules': [" + json + "]}").rules().getFirst();
    }

    /** Settings from their JSON, with ' for ". */
    static AlertSettings settings(String json) {
        return AlertSettings.parse(json.replace('\'', '"'));
    }
}
