package dev.cratereactive.bench;

/**
 * Where a benchmark fork sends its requests: the out-of-process {@link BenchServer} whose URL the suite passes
 * as {@code -Dbench.url.<name>}, so that the fork's CPU time is the client's alone; or, when the benchmark is run
 * on its own, an in-process server (then the CPU figures include the server).
 */
final class Target implements AutoCloseable {

    private final BenchServer local;
    private final String url;

    private Target(String name) {
        String external = System.getProperty("bench.url." + name);
        if (external != null) {
            this.local = null;
            this.url = external;
        } else {
            System.err.println("bench: no -Dbench.url." + name + ", starting an in-process server (CPU figures "
                + "include it)");
            this.local = new BenchServer(0, 1);
            this.url = name.equals("bulk") ? local.bulkUrl() : local.smallUrl();
        }
    }

    /**
     * @param name {@code small} or {@code bulk}
     * @return the target
     */
    static Target of(String name) {
        return new Target(name);
    }

    /** @return the node's base URL */
    String url() {
        return url;
    }

    @Override
    public void close() {
        if (local != null) {
            local.close();
        }
    }
}
