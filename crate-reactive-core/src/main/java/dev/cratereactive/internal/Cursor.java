package dev.cratereactive.internal;

import dev.cratereactive.Row;
import dev.cratereactive.Statement;
import dev.cratereactive.internal.codec.RequestEncoder;
import dev.cratereactive.internal.routing.Attempt;
import dev.cratereactive.internal.routing.Call;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One subscription's server-side cursor: {@code DECLARE "name" NO SCROLL CURSOR WITH HOLD FOR <query>} on a
 * pinned connection, {@code FETCH n} each time the subscriber's outstanding demand needs more rows, and
 * {@code CLOSE} at the end, whatever the end (CrateDB 6.4.3 keeps a cursor open after a failed {@code FETCH}).
 *
 * <p>Facts it relies on (CrateDB 6.4.3, recorded in the {@code cursor-*} transcripts): {@code WITH HOLD} is
 * required outside a transaction (4004 otherwise); {@code FETCH n} answers exactly {@code n} rows with
 * {@code cols} and {@code col_types} until fewer are left, so a short page is the last; the count cannot be a
 * parameter; a cursor exists only on the connection that declared it and ends when that connection closes.
 */
final class Cursor {

    private static final AtomicLong IDS = new AtomicLong();
    private static final Pattern TRAILING_SEMICOLONS = Pattern.compile("[\\s;]+$");

    private final DefaultCrateClient client;
    private final Statement statement;
    private final int fetchSize;
    private final Conduit.Pinned conduit;
    private final boolean ownsConnection;
    private final Attempt attempt;
    private final String name = "crate_reactive_cursor_" + IDS.incrementAndGet();
    private final AtomicLong delivered = new AtomicLong();
    private volatile boolean declared;
    private volatile boolean exhausted;

    private Cursor(DefaultCrateClient client, Statement statement, int fetchSize, Conduit.Pinned conduit,
                   boolean ownsConnection, Attempt attempt) {
        this.client = client;
        this.statement = statement;
        this.fetchSize = fetchSize;
        this.conduit = conduit;
        this.ownsConnection = ownsConnection;
        this.attempt = attempt;
    }

    /**
     * @param client the client
     * @param statement the query
     * @param fetchSize rows per {@code FETCH}, positive
     * @param session a session's connection to declare the cursor on, or {@code null} for a connection of its
     *     own per attempt (failover to another node is possible until the first row)
     * @return the rows
     */
    static Flux<Row> read(DefaultCrateClient client, Statement statement, int fetchSize, Conduit.Pinned session) {
        boolean repeatable = DefaultCrateClient.repeatable(statement);
        if (session != null) {
            return session.route(client.call(statement, repeatable),
                attempt -> open(() -> new Cursor(client, statement, fetchSize, session, false, attempt)));
        }
        return Flux.defer(() -> {
            client.checkOpen();
            return client.router().route(client.call(statement, repeatable),
                attempt -> open(() -> new Cursor(client, statement, fetchSize,
                    client.pinned(client.transport().pin(attempt.node())), true, attempt)));
        });
    }

    private static Flux<Row> open(Supplier<Cursor> cursor) {
        return Flux.usingWhen(Mono.fromSupplier(cursor), Cursor::rows, Cursor::finish,
            (opened, error) -> opened.finish(), Cursor::finish);
    }

    private Flux<Row> rows() {
        String query = TRAILING_SEMICOLONS.matcher(statement.sql()).replaceFirst("");
        SqlExchange.Request declare = request("DECLARE " + quoted() + " NO SCROLL CURSOR WITH HOLD FOR " + query,
            statement.args());
        SqlExchange.Request fetch = request("FETCH " + fetchSize + " FROM " + quoted(), List.of());
        Flux<Row> pages = Flux.<Boolean>generate(sink -> {
            if (exhausted) {
                sink.complete();
            } else {
                sink.next(Boolean.TRUE);
            }
        }).concatMap(next -> onFirstRequest(page(fetch)), 0);
        return conduit.exchange().execute(attempt, declare)
            .then(Mono.fromRunnable(() -> declared = true))
            .thenMany(pages);
    }

    /**
     * One {@code FETCH}: the page's rows as they are decoded; a short page ends the cursor. The rows of earlier
     * pages count as emitted: a failure says "after N rows" and is never retried.
     */
    private Flux<Row> page(SqlExchange.Request fetch) {
        return Flux.defer(() -> {
            AtomicInteger rows = new AtomicInteger();
            return conduit.exchange().rows(attempt, fetch, delivered.get())
                .doOnNext(row -> {
                    rows.incrementAndGet();
                    delivered.incrementAndGet();
                })
                .doOnComplete(() -> exhausted = rows.get() < fetchSize);
        });
    }

    /*
     * Sending a FETCH is subscribing to its exchange, so it must wait for demand: concatMap without prefetch asks
     * its (non-scalar, hence hide()) source for the page only on the subscriber's first request(n > 0), and the
     * outer concatMap passes on only the demand still outstanding after the previous page.
     */
    private static <T> Flux<T> onFirstRequest(Publisher<T> source) {
        return Flux.just(source).hide().concatMap(Function.identity(), 0);
    }

    /** CLOSE when the cursor exists and its connection is usable, then release the connection if it is ours. */
    private Mono<Void> finish() {
        Mono<Void> close = Mono.defer(() -> {
            if (!declared || !conduit.connection().isOpen()) {
                return Mono.empty(); // never declared, or the connection closed: the cursor went with it
            }
            SqlExchange.Request request = request("CLOSE " + quoted(), List.of());
            return conduit.route(Call.of(request.statement(), false),
                    closing -> conduit.exchange().execute(closing, request).flux())
                .then()
                .onErrorResume(error -> Mono.empty()); // a failed CLOSE leaves an error on the connection: released below
        });
        return ownsConnection ? close.then(client.transport().release(conduit.connection())) : close;
    }

    private SqlExchange.Request request(String sql, List<Object> args) {
        return client.request(RequestEncoder.statement(sql, args), sql);
    }

    private String quoted() {
        return '"' + name + '"';
    }
}
