package io.flowhost.domain.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScopeTest {

    @Test
    void scopesAreReadAsPeopleWriteThemAndWrittenBackTheSame() {
        for (var written : new String[] {"admin", "deploy", "read", "invoke:iris"}) {
            assertThat(Scope.parse(written)).hasToString(written);
        }
        assertThat(Scope.parse(" Deploy ")).isEqualTo(Scope.DEPLOY);
    }

    @Test
    void aBadScopeSaysWhatIsExpected() {
        assertThatThrownBy(() -> Scope.parse("write"))
                .hasMessage("scope 'write' (expected admin, deploy, read or invoke:SERVICE)");
        assertThatThrownBy(() -> Scope.parse("invoke:Iris!")).hasMessageContaining("'Iris!' is not a service name");
        assertThatThrownBy(() -> Scope.parse("invoke:")).hasMessageContaining("is not a service name");
    }

    @Test
    void eachScopeGrantsItselfAndWhatItIncludesAndNothingElse() {
        var iris = Scope.invoke("iris");
        assertThat(Scope.ADMIN.grants(Scope.DEPLOY)).isTrue();
        assertThat(Scope.ADMIN.grants(iris)).isTrue();
        assertThat(Scope.DEPLOY.grants(Scope.READ)).isTrue();
        assertThat(Scope.DEPLOY.grants(Scope.ADMIN)).isFalse();
        assertThat(Scope.DEPLOY.grants(iris)).as("deploying is not calling").isFalse();
        assertThat(Scope.READ.grants(Scope.READ)).isTrue();
        assertThat(Scope.READ.grants(Scope.DEPLOY)).isFalse();
        assertThat(iris.grants(iris)).isTrue();
        assertThat(iris.grants(Scope.invoke("echo"))).isFalse();
        assertThat(iris.grants(Scope.READ)).isFalse();
    }
}
