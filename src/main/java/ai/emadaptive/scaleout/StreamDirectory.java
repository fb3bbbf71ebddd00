package ai.emadaptive.scaleout;

import java.util.Properties;
import java.util.concurrent.ExecutionException;

import ai.emadaptive.ingest.StreamSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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

    /** Adds or replaces a stream, cluster-wide; returns once the broker has it. */
    public void put(StreamSpec spec) throws InterruptedException, ExecutionException {
        producer.send(new ProducerRecord<>(topic, spec.id(), StreamSpecJson.write(spec))).get();
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
