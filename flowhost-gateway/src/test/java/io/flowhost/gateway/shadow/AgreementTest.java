package io.flowhost.gateway.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AgreementTest {

    private static byte[] b(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theSameDocumentAgreesWhateverItsFieldOrderAndSpacing() {
        assertThat(Agreement.differs(200, b("{\"a\":1,\"b\":[1,2]}"), 200, b("{ \"b\": [1, 2], \"a\": 1 }"), 0))
                .isNull();
    }

    @Test
    void numbersAgreeWithinTheToleranceOnly() {
        var primary = b("{\"scores\":[0.1234, 0.8766]}");
        var shadow = b("{\"scores\":[0.1239, 0.8761]}");

        assertThat(Agreement.differs(200, primary, 200, shadow, 0.001)).isNull();
        assertThat(Agreement.differs(200, primary, 200, shadow, 0.0001))
                .isEqualTo("$.scores[0]: 0.1239, the primary's 0.1234");
    }

    @Test
    void anotherStatusDisagreesWhateverTheBodies() {
        assertThat(Agreement.differs(200, b("{}"), 500, b("{}"), 0)).isEqualTo("status 500, the primary's 200");
    }

    @Test
    void theFirstDifferenceIsNamedByItsPath() {
        assertThat(Agreement.differs(200, b("{\"label\":\"setosa\"}"), 200, b("{\"label\":\"virginica\"}"), 0.5))
                .isEqualTo("$.label: \"virginica\", the primary's \"setosa\"");
        assertThat(Agreement.differs(200, b("{\"a\":1}"), 200, b("{\"a\":1,\"b\":2}"), 0))
                .isEqualTo("$: 2 fields, the primary's 1");
        assertThat(Agreement.differs(200, b("{\"a\":1}"), 200, b("{\"a\":\"1\"}"), 0))
                .isEqualTo("$.a: string, the primary's number");
    }

    @Test
    void bodiesThatAreNotJsonAreComparedByteForByteAndUnkeptBodiesByStatusOnly() {
        assertThat(Agreement.differs(200, b("abc"), 200, b("abc"), 0)).isNull();
        assertThat(Agreement.differs(200, b("abc"), 200, b("abd"), 0)).isEqualTo("the bodies differ");
        assertThat(Agreement.differs(200, null, 200, b("anything"), 0)).isNull();
    }
}
