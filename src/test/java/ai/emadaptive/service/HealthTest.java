package ai.emadaptive.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import ai.emadaptive.support.EmbeddedModelProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** With no model configured the service loads the embedded default model, is live and ready, and serves its page. */
@QuarkusTest
@TestProfile(EmbeddedModelProfile.class)
class HealthTest {

    @Test
    void liveAndReadyOnTheEmbeddedModel() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'model' }.data.source", equalTo("embedded:models/default.zip"))
                .body("checks.find { it.name == 'model' }.data.classes", equalTo(6))
                .body("checks.find { it.name == 'model' }.data.backend", containsString("Cpu"))
                .body("checks.find { it.name == 'streams' }.status", equalTo("UP"));
        given().when().get("/").then().statusCode(200).body(containsString("/api/streams"));
    }
}
