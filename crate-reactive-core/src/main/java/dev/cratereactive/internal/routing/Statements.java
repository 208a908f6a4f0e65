package dev.cratereactive.internal.routing;

/** What the text of a statement tells about it. */
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
}
