package ai.emadaptive.scaleout;

import ai.emadaptive.ingest.StreamSpec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Stream specs as JSON records on the control topic. */
final class StreamSpecJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StreamSpecJson() {}

    static String write(StreamSpec spec) {
        try {
            return JSON.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static StreamSpec read(String json) {
        try {
            return JSON.readValue(json, StreamSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad stream record: " + e.getOriginalMessage());
        }
    }
}
