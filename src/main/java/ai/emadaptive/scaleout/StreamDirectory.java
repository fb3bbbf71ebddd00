package ai.emadaptive.scaleout;

import ai.emadaptive.ingest.StreamSpec;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The cluster's list of streams: a compacted Kafka topic keyed by stream id, whose latest record per id is the
 * stream's spec (a tombstone removes it). Writing here does not start anything: the instance whose consumer owns
 * the key's partition does ({@link StreamAssignments}).
 */
public final class StreamDirectory implements AutoCloseable {
    private final KafkaProducer<String, String> producer;
    private final String topic;

    public StreamDirectory(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        this.topic = topic;
    }

    /**
     * Creates the control topic, compacted (only each stream's latest record matters), unless it exists.
     *
     * @param partitions upper bound on how many instances can share the streams
     */
    public static void ensureTopic(String bootstrapServers, String topic, int partitions) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(
                            new NewTopic(topic, partitions, (short) -1).configs(Map.of("cleanup.policy", "compact"))))
                    .all()
                    .get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException))
                throw new IllegalStateException(
                        "cannot create topic " + topic + ": " + e.getCause().getMessage(), e);
        }
    }

    /** Adds or replaces a stream, cluster-wide; returns once the broker has it. */
    public void put(StreamSpec spec) throws InterruptedException, ExecutionException {
        producer.send(new ProducerRecord<>(topic, spec.id(), StreamSpecJson.write(spec)))
                .get();
    }

    /** Removes a stream, cluster-wide. */
    public void remove(String id) throws InterruptedException, ExecutionException {
        producer.send(new ProducerRecord<>(topic, id, null)).get();
    }

    @Override
    public void close() {
        producer.close();
    }
}
