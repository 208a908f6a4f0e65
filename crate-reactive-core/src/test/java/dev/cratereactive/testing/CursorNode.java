package dev.cratereactive.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link Responder} that behaves like CrateDB 6.4.3 for cursors, per TCP connection, answering with bodies shaped
 * like the recorded {@code cursor-*} transcripts: {@code DECLARE "c" NO SCROLL CURSOR WITH HOLD FOR ...} opens a
 * cursor over {@code rows} generated rows {@code [i, "v" + i]} (columns {@code x} INTEGER, {@code label} TEXT),
 * {@code FETCH n FROM "c"} answers the next {@code n}, {@code CLOSE "c"} ends it; an unknown cursor on a connection
 * is CrateDB's 4000; a {@code DECLARE} without {@code WITH HOLD} is 4004. Any other statement gets the whole result
 * at once (what a plain {@code SELECT} answers), except {@code SET ...} which answers like CrateDB's {@code SET}, and bulk requests (one row count 1 each).
 * A fault can replace the answer to the n-th {@code FETCH}.
 */
public final class CursorNode implements Responder {

    private static final Pattern DECLARE = Pattern.compile("DECLARE \"([^\"]+)\" NO SCROLL CURSOR (WITH HOLD )?FOR .*",
        Pattern.DOTALL);
    private static final Pattern FETCH = Pattern.compile("FETCH (\\d+) FROM \"([^\"]+)\"");
    private static final Pattern CLOSE = Pattern.compile("CLOSE \"([^\"]+)\"");

    private final int rows;
    private final Map<String, Integer> positions = new ConcurrentHashMap<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final List<String> closed = new CopyOnWriteArrayList<>();
    private volatile BiFunction<Integer, RecordedRequest, Reply> fetchFault = (n, request) -> null;

    /** @param rows the size of the result every query has */
    public CursorNode(int rows) {
        this.rows = rows;
    }

    /**
     * @param fault given the 1-based number of a {@code FETCH} and its request, a reply to send instead, or
     *     {@code null} to answer normally
     * @return this node
     */
    public CursorNode failFetch(BiFunction<Integer, RecordedRequest, Reply> fault) {
        this.fetchFault = fault;
        return this;
    }

    /** @return how many {@code FETCH} requests arrived */
    public int fetches() {
        return fetches.get();
    }

    /** @return how many cursors are open, over all connections */
    public int openCursors() {
        return positions.size();
    }

    /** @return the names of the cursors closed by {@code CLOSE}, in order */
    public List<String> closedCursors() {
        return List.copyOf(closed);
    }

    /**
     * @param from first row number (0-based)
     * @param count how many rows
     * @return a CrateDB answer with those rows
     */
    public static String page(int from, int count) {
        StringBuilder body = new StringBuilder("{\"cols\":[\"x\",\"label\"],\"col_types\":[9,4],\"rows\":[");
        for (int i = from; i < from + count; i++) {
            body.append(i == from ? "" : ",").append('[').append(i).append(",\"v").append(i).append("\"]");
        }
        return body.append("],\"rowcount\":").append(count).append(",\"duration\":0.4}").toString();
    }

    @Override
    public Reply reply(RecordedRequest request) {
        String stmt = request.statement();
        if (stmt == null) {
            return Reply.transcript("error-no-stmt");
        }
        Matcher declare = DECLARE.matcher(stmt);
        if (declare.matches()) {
            if (declare.group(2) == null) {
                return Reply.transcript("cursor-declare-without-hold");
            }
            if (positions.putIfAbsent(key(request, declare.group(1)), 0) != null) {
                return Reply.json(500, "{\"error\":{\"message\":\"IllegalStateException[Cursor `" + declare.group(1)
                    + "` already exists]\",\"code\":5000}}");
            }
            return Reply.json(200, "{\"cols\":[],\"col_types\":[],\"rows\":[[]],\"rowcount\":0,\"duration\":1.8}");
        }
        Matcher fetch = FETCH.matcher(stmt);
        if (fetch.matches()) {
            Reply fault = fetchFault.apply(fetches.incrementAndGet(), request);
            if (fault != null) {
                return fault;
            }
            String key = key(request, fetch.group(2));
            Integer position = positions.get(key);
            if (position == null) {
                return unknown(fetch.group(2));
            }
            int count = Math.min(Integer.parseInt(fetch.group(1)), rows - position);
            positions.put(key, position + count);
            return Reply.json(200, page(position, count));
        }
        Matcher close = CLOSE.matcher(stmt);
        if (close.matches()) {
            if (positions.remove(key(request, close.group(1))) == null) {
                return unknown(close.group(1));
            }
            closed.add(close.group(1));
            return Reply.json(200, "{\"cols\":[],\"col_types\":[],\"rows\":[[]],\"rowcount\":1,\"duration\":0.4}");
        }
        if (request.json().has("bulk_args")) {
            return Reply.json(200, "{\"cols\":[],\"duration\":1.2,\"results\":[{\"rowcount\":1}]}");
        }
        if (stmt.startsWith("SET ")) {
            return Reply.transcript("set-session");
        }
        return Reply.json(200, page(0, rows));
    }

    private static String key(RecordedRequest request, String cursor) {
        return request.connectionId() + "/" + cursor;
    }

    private static Reply unknown(String cursor) {
        return Reply.json(400, "{\"error\":{\"message\":\"SQLParseException[No cursor named `" + cursor
            + "` available]\",\"code\":4000}}");
    }
}
