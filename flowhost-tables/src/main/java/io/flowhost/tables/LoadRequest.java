package io.flowhost.tables;

import io.flowhost.domain.table.TableSourceException;
import io.flowhost.tables.internal.Rows;

/**
 * A table to fill from a source: {@code metaflow://Flow/run/step/artifact} (a dict, a list of records, or JSON Lines
 * text), or a JSON Lines file on the server's machine ({@code file:/path/rows.jsonl}).
 *
 * @param source where the rows are
 * @param keyField the field of each record that is its key (records only; default {@code key})
 * @param valueField the field of each record that is its value, or null for the whole record
 */
public record LoadRequest(String source, String keyField, String valueField) {

    public LoadRequest {
        if (source == null || source.isBlank()) {
            throw new TableSourceException("a load names its source: metaflow://Flow/latest/end/artifact, or"
                    + " file:/path/rows.jsonl on the server's machine");
        }
        keyField = keyField == null || keyField.isBlank() ? Rows.DEFAULT_KEY_FIELD : keyField;
        valueField = valueField == null || valueField.isBlank() ? null : valueField;
    }
}
