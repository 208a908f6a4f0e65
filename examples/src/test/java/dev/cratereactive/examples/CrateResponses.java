package dev.cratereactive.examples;

import dev.cratereactive.testing.Reply;
import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.databind.json.JsonMapper;

/**
 * Response bodies exactly as CrateDB 6.4.3 writes them (see the transcripts in crate-reactive-core), for scripting
 * {@link dev.cratereactive.testing.CrateTestServer} in the examples' tests.
 */
public final class CrateResponses {

    /** CrateDB's per-row error for a duplicate primary key in a bulk request (transcript bulk-partial-failure). */
    public static final String DUPLICATE_KEY_ERROR =
        "{\"code\":4091,\"message\":\"DuplicateKeyException[A document with the same primary key exists already]\"}";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CrateResponses() {
    }

    /** @return the answer to DDL and REFRESH, as recorded (transcript create-table-all-types) */
    public static Reply ddl() {
        return Reply.transcript("create-table-all-types");
    }

    /**
     * @param columns column names
     * @param types their {@code col_types} ids, e.g. {@code 10} for BIGINT, {@code "[100,9]"} for ARRAY(INTEGER)
     * @param rows the rows, as JSON arrays, e.g. {@code [1,"kitchen",21.5]}
     * @return a query result as CrateDB sends it for {@code ?types}
     */
    public static Reply rows(List<String> columns, List<Object> types, String... rows) {
        String body = "{\"cols\":" + JSON.writeValueAsString(columns)
            + ",\"col_types\":[" + types.stream().map(String::valueOf).collect(Collectors.joining(",")) + "]"
            + ",\"rows\":[" + String.join(",", rows) + "]"
            + ",\"rowcount\":" + rows.length + ",\"duration\":2.061499}";
        return Reply.json(200, body);
    }

    /**
     * @param failed for each bulk row, whether it fails with {@link #DUPLICATE_KEY_ERROR}
     * @return a bulk response as CrateDB sends it: HTTP 200 however many rows failed (transcript bulk-partial-failure)
     */
    public static Reply bulk(List<Boolean> failed) {
        String results = failed.stream()
            .map(fails -> fails ? "{\"rowcount\":-2,\"error\":" + DUPLICATE_KEY_ERROR + "}" : "{\"rowcount\":1}")
            .collect(Collectors.joining(","));
        return Reply.json(200, "{\"cols\":[],\"duration\":10.266733,\"results\":[" + results + "]}");
    }

    /**
     * @param name a transcript in crate-reactive-core's test resources, e.g. {@code bulk-partial-failure}
     * @return its recorded response, byte for byte
     * @throws IllegalArgumentException naming the transcript if there is none
     */
    public static Reply transcript(String name) {
        return Reply.transcript(name);
    }
}
