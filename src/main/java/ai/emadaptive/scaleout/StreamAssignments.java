package ai.emadaptive.scaleout;

import ai.emadaptive.ingest.StreamSpec;
import ai.emadaptive.pipeline.Pipeline;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Runs on this instance the streams whose control-topic partitions Kafka's consumer group gives it. On assignment it
 * reads its partitions from the beginning (the compacted topic is the desired state) and starts those streams; on
 * revocation or loss it stops them; an instance that dies stops heartbeating (or polling) and the group moves its
 * partitions, and so its streams, to the survivors. Kafka does the membership and the balancing; this class only
 * turns assignments into started and stopped streams.
 */
public final class StreamAssignments implements Runnable, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StreamAssignments.class);

    private final Pipeline pipeline;
    private final KafkaConsumer<String, String> consumer;
    private final String topic;
    private final Map<Integer, Set<String>> owned = new HashMap<>();
    private final Map<String, StreamSpec> running = new HashMap<>();
    private final Thread thread;
    private volatile boolean stop;

    /**
     * @param sessionTimeout how long a silent instance keeps its streams before the group takes them away
     * @param maxPollInterval how long an instance that stopped polling (hung) keeps them
     */
    public StreamAssignments(
            Pipeline pipeline,
            String bootstrapServers,
            String topic,
            String group,
            String instance,
            Duration sessionTimeout,
            Duration maxPollInterval) {
        this.pipeline = pipeline;
        this.topic = topic;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, instance);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"); // state is re-read from the start on each assignment
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(sessionTimeout.toMillis()));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(Math.max(500, sessionTimeout.toMillis() / 3)));
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(maxPollInterval.toMillis()));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        thread = new Thread(this, "assignments-" + instance);
        thread.setDaemon(true);
    }

    public StreamAssignments start() {
        thread.start();
        return this;
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                release(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                release(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                for (TopicPartition tp : partitions) owned.computeIfAbsent(tp.partition(), k -> new HashSet<>());
                consumer.seekToBeginning(partitions);
                LOG.infof("assigned %s", partitions);
            }
        });
        try {
            while (!stop) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) apply(r);
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } finally {
            consumer.close();
        }
    }

    private void apply(ConsumerRecord<String, String> r) {
        String id = r.key();
        Set<String> ids = owned.computeIfAbsent(r.partition(), k -> new HashSet<>());
        if (r.value() == null) {
            ids.remove(id);
            if (running.remove(id) != null) pipeline.remove(id);
            return;
        }
        StreamSpec spec;
        try {
            spec = StreamSpecJson.read(r.value());
        } catch (IllegalArgumentException e) {
            LOG.warnf("stream %s: %s", id, e.getMessage());
            return;
        }
        if (spec.equals(running.get(id))) return;
        if (running.remove(id) != null) pipeline.remove(id);
        try {
            pipeline.add(spec);
            running.put(id, spec);
            ids.add(id);
            LOG.infof("stream %s started here", id);
        } catch (RuntimeException e) {
            LOG.warnf("stream %s not started: %s", id, e.getMessage());
        }
    }

    private void release(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            Set<String> ids = owned.remove(tp.partition());
            if (ids == null) continue;
            for (String id : ids) {
                if (running.remove(id) != null) pipeline.remove(id);
            }
        }
    }

    /** Leaves the group cleanly: the partitions move at once. */
    @Override
    public void close() throws InterruptedException {
        stop = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
