package ai.emadaptive.support;

import ai.emadaptive.output.FrameResult;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * For the scale-out test's bare pipelines (no Quarkus): publishes each frame result to the results topic, as the
 * service's Kafka connector does, and counts per stream the events the broker acknowledged.
 */
public final class ResultProducer implements Consumer<FrameResult>, AutoCloseable {
    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final String instance;
    private final Map<String, LongAdder> acked = new ConcurrentHashMap<>();

    public ResultProducer(String bootstrapServers, String topic, String instance) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(p);
        this.topic = topic;
        this.instance = instance;
    }

    @Override
    public void accept(FrameResult r) {
        String json =
                "{\"instance\":\"" + instance + "\",\"stream\":\"" + r.stream() + "\",\"frame\":" + r.frame() + "}";
        producer.send(new ProducerRecord<>(topic, r.stream(), json), (meta, error) -> {
            if (error == null)
                acked.computeIfAbsent(r.stream(), k -> new LongAdder()).increment();
        });
    }

    /** Events of the stream the broker has acknowledged. */
    public long acked(String stream) {
        LongAdder a = acked.get(stream);
        return a == null ? 0 : a.sum();
    }

    @Override
    public void close() {
        producer.close();
    }
}
