package dev.cratereactive.internal.failure;

/** Text for exception messages. No compatibility promise. */
public final class Texts {

    private static final int DISPLAY_LENGTH = 200;

    private Texts() {
    }

    /**
     * @param sql a statement
     * @return the statement shortened for messages: white space folded, at most 200 characters
     */
    public static String forDisplay(String sql) {
        return fold(sql, DISPLAY_LENGTH);
    }

    /**
     * @param text any text for a message (a statement, a proxy's error page)
     * @param maxLength how many characters to keep
     * @return the text with white space folded to single spaces, cut at {@code maxLength} with {@code ...}
     */
    public static String fold(String text, int maxLength) {
        String folded = text.strip().replaceAll("\\s+", " ");
        return folded.length() <= maxLength ? folded : folded.substring(0, maxLength) + "...";
    }
}
