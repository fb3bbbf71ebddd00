package ai.emadaptive.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A corrupt model artifact does not stop the service: it stays alive and readiness says what is wrong. */
@QuarkusTest
@TestProfile(BrokenModelHealthTest.CorruptModel.class)
class BrokenModelHealthTest {

    public static class CorruptModel implements QuarkusTestProfile {
        static final Path FILE;

        static {
            try {
                FILE = Files.createTempFile("corrupt-model", ".zip");
                Files.write(FILE, new byte[] {'P', 'K', 3, 4, 0, 0, 1, 2, 3});
                FILE.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("emadaptive.model.path", FILE.toString());
        }
    }

    @Test
    void aliveButNotReadyWithTheReason() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(503)
                .body("checks.find { it.name == 'model' }.data.error", containsString(CorruptModel.FILE.toString()))
                .body("checks.find { it.name == 'model' }.data.error", containsString("corrupt"));
    }
}
