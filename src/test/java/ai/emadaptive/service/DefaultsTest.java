package ai.emadaptive.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.emadaptive.engine.InferenceBackend;
import ai.emadaptive.pipeline.PipelineSettings;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

/**
 * The service with nothing configured runs the pipeline the bench commands measure: ServiceConfig's defaults,
 * mapped as the service maps them, are {@link PipelineSettings#defaults()}.
 */
class DefaultsTest {
    @Test
    void theServiceDefaultsAreThePipelineDefaults() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(ServiceConfig.class)
                .withDefaultValue("kafka.bootstrap.servers", "localhost:9092")
                .build();
        ServiceConfig service = config.getConfigMapping(ServiceConfig.class);
        assertEquals(PipelineSettings.defaults(), PipelineService.settings(service));
    }

    @Test
    void onnxRuntimeIsChosenByConfiguration() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(ServiceConfig.class)
                .withDefaultValue("kafka.bootstrap.servers", "localhost:9092")
                .withDefaultValue("emadaptive.pipeline.backend", "onnx-runtime")
                .build();
        assertEquals(
                InferenceBackend.ONNX_RUNTIME,
                PipelineService.settings(config.getConfigMapping(ServiceConfig.class))
                        .backend());
    }
}
