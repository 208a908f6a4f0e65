package dev.cratereactive.internal.observe;

import dev.cratereactive.Node;
import reactor.netty.resources.ConnectionProvider;

/** Metrics and traces together. */
final class CompositeInstrumentation implements Instrumentation {

    private final Instrumentation metrics;
    private final Instrumentation traces;

    CompositeInstrumentation(Instrumentation metrics, Instrumentation traces) {
        this.metrics = metrics;
        this.traces = traces;
    }

    @Override
    public CallObserver call(String operation, String sql, Object parent) {
        CallObserver first = metrics.call(operation, sql, parent);
        CallObserver second = traces.call(operation, sql, parent);
        return new CallObserver() {
            @Override
            public AttemptObserver attempt(Node node, int number) {
                AttemptObserver a = first.attempt(node, number);
                AttemptObserver b = second.attempt(node, number);
                return (outcome, error, sent, received) -> {
                    a.end(outcome, error, sent, received);
                    b.end(outcome, error, sent, received);
                };
            }

            @Override
            public void end(Outcome outcome, Throwable error, Node node, long rows) {
                first.end(outcome, error, node, rows);
                second.end(outcome, error, node, rows);
            }
        };
    }

    @Override
    public void retried(Node failed, String operation) {
        metrics.retried(failed, operation);
        traces.retried(failed, operation);
    }

    @Override
    public void nodeDead(Node node) {
        metrics.nodeDead(node);
        traces.nodeDead(node);
    }

    @Override
    public void killed(Node node, KillResult result) {
        metrics.killed(node, result);
        traces.killed(node, result);
    }

    @Override
    public void close() {
        metrics.close();
        traces.close();
    }

    @Override
    public ConnectionProvider.MeterRegistrar poolMetrics() {
        return metrics.poolMetrics();
    }
}
