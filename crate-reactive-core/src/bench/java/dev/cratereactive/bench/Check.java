package dev.cratereactive.bench;

/** Benchmarks fail loudly when they did not consume what they were meant to. */
final class Check {

    private Check() {
    }

    /**
     * @param what what was counted
     * @param expected the expected count
     * @param actual the count
     * @return {@code actual}
     * @throws IllegalStateException if they differ
     */
    static long count(String what, long expected, long actual) {
        if (actual != expected) {
            throw new IllegalStateException(what + ": consumed " + actual + ", expected " + expected);
        }
        return actual;
    }

    /**
     * @param what what was read
     * @param text what it was
     * @param expected what it must contain
     * @throws IllegalStateException if it does not
     */
    static void contains(String what, String text, String expected) {
        if (!text.contains(expected)) {
            throw new IllegalStateException(what + ": expected " + expected + " in ..." + text);
        }
    }
}
