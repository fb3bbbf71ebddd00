package ai.emadaptive.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * The service as shipped, on its embedded default model (no model configured), with a blank scope (a clip of flat
 * grey frames) in the one folder file sources may use. Test classes sharing this profile share one running service.
 */
public class EmbeddedModelProfile implements QuarkusTestProfile {
    public static final Path DIR;
    public static final Path BLANK_CLIP;

    static {
        try {
            DIR = Files.createTempDirectory("embedded-model-test");
            BLANK_CLIP = StreamingFixtures.plainClip(
                    DIR.resolve("blank.mp4"), "mp4", avcodec.AV_CODEC_ID_H264, avutil.AV_PIX_FMT_YUV420P, 320, 240, 45);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the blank clip", e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("emadaptive.sources.allowed-dirs", DIR.toString(), "emadaptive.api.token", MediaProfile.TOKEN);
    }
}
