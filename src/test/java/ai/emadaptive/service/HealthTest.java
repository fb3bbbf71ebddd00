package ai.emadaptive.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Health endpoints of the running service with no model configured. */
@QuarkusTest
class HealthTest {

    @Test
    void liveAndReadyWithoutAModel() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'model' }.data.source", equalTo("none configured"))
                .body("checks.find { it.name == 'model' }.data.backend", containsString("Cpu"));
    }
}
