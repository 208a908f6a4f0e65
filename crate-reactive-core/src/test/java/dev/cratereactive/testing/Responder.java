package dev.cratereactive.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Decides the {@link Reply} for each request {@link CrateTestServer} receives. Must be thread-safe. */
@FunctionalInterface
public interface Responder {

    /**
     * @param request the request
     * @return what to do
     */
    Reply reply(RecordedRequest request);

    /**
     * @param reply the reply for every request
     * @return a responder that always gives it
     */
    static Responder always(Reply reply) {
        return request -> reply;
    }

    /**
     * @param replies one reply per request, in order; the last repeats
     * @return a responder walking the list
     */
    static Responder sequence(Reply... replies) {
        List<Reply> list = List.of(replies);
        AtomicInteger next = new AtomicInteger();
        return request -> list.get(Math.min(next.getAndIncrement(), list.size() - 1));
    }

    /**
     * Answers each statement with the recorded response of the transcript whose request had the same
     * {@code stmt} (of the given transcripts, or all when none are named); unknown statements get CrateDB's
     * 400 error for an unknown table.
     *
     * @param names transcript names to serve
     * @return a replaying responder
     */
    static Responder transcripts(String... names) {
        Map<String, String> byStatement = Stream.of(names)
            .map(Transcript::load)
            .filter(t -> t.statement() != null)
            .collect(Collectors.toMap(Transcript::statement, Transcript::name, (a, b) -> a));
        return request -> {
            String name = byStatement.get(request.statement());
            return name != null ? Reply.transcript(name)
                : Reply.json(404, "{\"error\":{\"message\":\"RelationUnknown[CrateTestServer has no transcript for"
                    + " this statement]\",\"code\":4041}}");
        };
    }
}
