package io.flowhost.control.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.instances.InvalidServiceException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckedJarsTest {

    private final CheckedJars checked = new CheckedJars(2);
    private final List<String> checks = new ArrayList<>();

    private CheckedJars.Check check(String service) {
        return () -> {
            checks.add(service);
            return new ServiceDescriptor(service, "example." + service, List.of());
        };
    }

    @Test
    void theSameJarAndClassAreCheckedOnce() throws InvalidServiceException {
        var first = checked.describe("aa", "example.Echo", check("echo"));
        var again = checked.describe("aa", "example.Echo", check("echo"));

        assertThat(again).isSameAs(first);
        assertThat(checks).containsExactly("echo");
    }

    @Test
    void anotherJarOrAnotherClassIsCheckedAfresh() throws InvalidServiceException {
        checked.describe("aa", "example.Echo", check("echo"));
        checked.describe("bb", "example.Echo", check("echo"));
        checked.describe("aa", "example.Iris", check("iris"));

        assertThat(checks).containsExactly("echo", "echo", "iris");
    }

    @Test
    void noClassAndABlankClassBothMeanTheJarsOneService() throws InvalidServiceException {
        checked.describe("aa", null, check("echo"));
        checked.describe("aa", " ", check("echo"));

        assertThat(checks).containsExactly("echo");
    }

    @Test
    void aRefusalIsNotKeptSoTheNextDeployChecksAgain() throws InvalidServiceException {
        assertThatThrownBy(() -> checked.describe("aa", null, () -> {
                    checks.add("timed out");
                    throw new InvalidServiceException("checking took over 60 s");
                }))
                .isInstanceOf(InvalidServiceException.class);

        checked.describe("aa", null, check("echo"));

        assertThat(checks).containsExactly("timed out", "echo");
    }

    @Test
    void onlyTheMostRecentlyUsedAnswersAreKept() throws InvalidServiceException {
        checked.describe("aa", null, check("a"));
        checked.describe("bb", null, check("b"));
        checked.describe("aa", null, check("a")); // used: bb is now the eldest
        checked.describe("cc", null, check("c")); // over capacity 2: bb goes
        checked.describe("aa", null, check("a"));
        checked.describe("bb", null, check("b"));

        assertThat(checks).containsExactly("a", "b", "c", "b");
    }
}
