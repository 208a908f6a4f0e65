package dev.cratereactive.internal.routing;

import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** What the text of a statement tells about it, and the tag comment every statement is sent with. */
public final class Statements {

    private static final String[] READ_ONLY_KEYWORDS = {"select", "with", "show", "explain", "values"};
    private static final String[] DECLARABLE_KEYWORDS = {"select", "values"};

    private Statements() {
    }

    /**
     * Whether the statement only reads, judged by its first keyword after comments, white space and opening
     * parentheses ({@code SELECT}, {@code WITH}, {@code SHOW}, {@code EXPLAIN}, {@code VALUES}). CrateDB has no
     * data-modifying CTEs, so a {@code WITH} statement reads.
     *
     * @param sql the statement text
     * @return whether it can be repeated on another node without changing the outcome
     */
    public static boolean isReadOnly(String sql) {
        return startsWithAny(sql, firstKeyword(sql, true), READ_ONLY_KEYWORDS);
    }

    /**
     * Whether a server-side cursor can be declared for the statement: CrateDB 6.4.3 accepts
     * {@code DECLARE ... FOR} only with a query that starts with {@code SELECT} or {@code VALUES} (not
     * {@code WITH}, not a parenthesised query, not {@code SHOW} or {@code EXPLAIN}: 4000 "mismatched input").
     *
     * @param sql the statement text
     * @return whether its first keyword after comments and white space is {@code SELECT} or {@code VALUES}
     */
    public static boolean isDeclarable(String sql) {
        return startsWithAny(sql, firstKeyword(sql, false), DECLARABLE_KEYWORDS);
    }

    private static int firstKeyword(String sql, boolean skipParentheses) {
        int i = 0;
        int length = sql.length();
        while (i < length) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || skipParentheses && c == '(') {
                i++;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? length : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? length : end + 2;
            } else {
                break;
            }
        }
        return i;
    }

    private static boolean startsWithAny(String sql, int i, String[] keywords) {
        int length = sql.length();
        for (String keyword : keywords) {
            int end = i + keyword.length();
            if (sql.regionMatches(true, i, keyword, 0, keyword.length())
                && (end == length || !Character.isLetterOrDigit(sql.charAt(end)) && sql.charAt(end) != '_')) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return a new tag id: 32 lower-case hex digits, random (not a secret, only unique)
     */
    public static String newTagId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong());
    }

    /**
     * @param id a {@link #newTagId() tag id}
     * @param label the user's label (already validated), or {@code null}
     * @return the leading comment {@code /* crate-reactive:<id>[ <label>] *}{@code / } (with the trailing space)
     */
    public static String tagComment(String id, String label) {
        return label == null ? "/* crate-reactive:" + id + " */ " : "/* crate-reactive:" + id + " " + label + " */ ";
    }

    /**
     * @param id a {@link #newTagId() tag id}
     * @param label the user's label (already validated), or {@code null}
     * @param sql the statement
     * @return the statement behind its {@link #tagComment(String, String) tag comment}, built in one step
     */
    public static String tagged(String id, String label, String sql) {
        return label == null ? "/* crate-reactive:" + id + " */ " + sql
            : "/* crate-reactive:" + id + " " + label + " */ " + sql;
    }

    /**
     * @param sql a statement
     * @return its first keyword in upper case ({@code SELECT}, {@code INSERT}, ...), after comments and
     *     parentheses; {@code OTHER} when it starts with no word
     */
    public static String operation(String sql) {
        int i = firstKeyword(sql, true);
        int end = i;
        while (end < sql.length() && end - i < 32 && Character.isLetter(sql.charAt(end))) {
            end++;
        }
        return end == i ? "OTHER" : sql.substring(i, end).toUpperCase(Locale.ROOT);
    }
}
