package io.flowhost.alerts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;

/**
 * The alerting settings file, validated when loaded: a bad value fails naming the file, the rule, the key, the value
 * and what is allowed. The file is JSON; {@link #defaultsJson()} is a complete example to start from.
 *
 * @param evaluationInterval {@code evaluation-interval}: how often the rules are evaluated; default 15s (Prometheus's
 *                           default); 1s..10m
 * @param resolvedRetention  {@code resolved-retention}: how long a resolved alert is still listed before it is
 *                           forgotten; default 15m (as Prometheus keeps them); 0s..24h
 * @param externalUrl        {@code external-url}: this server's address as people reach it, for the payload's
 *                           {@code externalURL} and each alert's {@code generatorURL}; default none
 * @param webhooks           {@code webhooks}: where notifications go, besides the log
 * @param rules              {@code rules}: the rules, each name once
 */
public record AlertSettings(
        Duration evaluationInterval,
        Duration resolvedRetention,
        String externalUrl,
        List<Webhook> webhooks,
        List<Rule> rules) {

    /** Checks the values and that no two rules share a name. */
    public AlertSettings {
        if (evaluationInterval == null
                || evaluationInterval.compareTo(Duration.ofSeconds(1)) < 0
                || evaluationInterval.compareTo(Duration.ofMinutes(10)) > 0) {
            throw Invalid.of(
                    "evaluation-interval",
                    evaluationInterval == null ? "missing" : Spans.format(evaluationInterval),
                    "1s..10m");
        }
        Rule.checkWhole("resolved-retention", resolvedRetention, Duration.ZERO, Duration.ofDays(1));
        externalUrl = externalUrl == null ? "" : externalUrl.replaceAll("/+$", "");
        webhooks = List.copyOf(webhooks);
        rules = List.copyOf(rules);
        var names = new HashSet<String>();
        for (var rule : rules) {
            if (!names.add(rule.name())) {
                throw Invalid.of("rules", rule.name(), "each rule name once: it is the alert's name");
            }
        }
    }

    /** The defaults: the rules of {@link #defaultsJson()}, evaluated every 15s, notified to the log only. */
    public static AlertSettings defaults() {
        return parse(DefaultSettings.JSON);
    }

    /** The default settings file as text: every kind of rule once, with thresholds a small platform can start with. */
    public static String defaultsJson() {
        return DefaultSettings.JSON;
    }

    /** Reads a settings file; a missing file, bad JSON or a bad value fails with the file's name in front. */
    public static AlertSettings load(Path file) {
        try {
            return SettingsReader.read(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Reads settings from JSON text. */
    public static AlertSettings parse(String json) {
        return SettingsReader.read(json);
    }

    /** These settings with another external URL, for a server that knows its own address. */
    public AlertSettings withExternalUrl(String url) {
        return new AlertSettings(evaluationInterval, resolvedRetention, url, webhooks, rules);
    }
}
