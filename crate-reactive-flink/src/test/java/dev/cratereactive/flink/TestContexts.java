package dev.cratereactive.flink;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.JobInfo;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.OperatorIOMetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.groups.MetricsGroupTestUtils;
import org.apache.flink.util.UserCodeClassLoader;

/** A writer context outside a Flink job whose metric group remembers what the writer registered, by name. */
final class TestContexts {

    private TestContexts() {
    }

    /** A metric group that keeps its counters and gauges. */
    static final class RecordingGroup extends UnregisteredMetricsGroup {
        final Map<String, Counter> counters = new ConcurrentHashMap<>();
        final Map<String, Gauge<?>> gauges = new ConcurrentHashMap<>();

        @Override
        public Counter counter(String name) {
            return counter(name, new SimpleCounter());
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            counters.put(name, counter);
            return counter;
        }

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            gauges.put(name, gauge);
            return gauge;
        }

        long count(String name) {
            Counter counter = counters.get(name);
            if (counter == null) {
                throw new AssertionError("no counter " + name + " in " + counters.keySet());
            }
            return counter.getCount();
        }
    }

    /** The operator's I/O group: fixed counters, so that numRecordsOut can be read back. */
    static final class IoGroup extends UnregisteredMetricsGroup implements OperatorIOMetricGroup {
        final Counter recordsOut = new SimpleCounter();
        final Counter bytesOut = new SimpleCounter();

        @Override
        public Counter getNumRecordsInCounter() {
            return new SimpleCounter();
        }

        @Override
        public Counter getNumRecordsOutCounter() {
            return recordsOut;
        }

        @Override
        public Counter getNumBytesInCounter() {
            return new SimpleCounter();
        }

        @Override
        public Counter getNumBytesOutCounter() {
            return bytesOut;
        }
    }

    /** A {@link WriterInitContext} with Flink's sink writer metric group over a {@link RecordingGroup}. */
    static final class Context implements WriterInitContext {
        final RecordingGroup group = new RecordingGroup();
        final IoGroup io = new IoGroup();
        private final SinkWriterMetricGroup metrics = MetricsGroupTestUtils.mockWriterMetricGroup(group, io);

        @Override
        public SinkWriterMetricGroup metricGroup() {
            return metrics;
        }

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            throw new UnsupportedOperationException();
        }

        @Override
        public MailboxExecutor getMailboxExecutor() {
            throw new UnsupportedOperationException();
        }

        @Override
        public ProcessingTimeService getProcessingTimeService() {
            throw new UnsupportedOperationException();
        }

        @Override
        public SerializationSchema.InitializationContext asSerializationSchemaInitializationContext() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isObjectReuseEnabled() {
            return false;
        }

        @Override
        public <IN> TypeSerializer<IN> createInputSerializer() {
            throw new UnsupportedOperationException();
        }

        @Override
        public <MetaT> Optional<java.util.function.Consumer<MetaT>> metadataConsumer() {
            return Optional.empty();
        }

        @Override
        public OptionalLong getRestoredCheckpointId() {
            return OptionalLong.empty();
        }

        @Override
        public JobInfo getJobInfo() {
            throw new UnsupportedOperationException();
        }

        @Override
        public TaskInfo getTaskInfo() {
            throw new UnsupportedOperationException();
        }
    }
}
