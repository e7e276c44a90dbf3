package io.flowhost.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.domain.service.ServiceDescriptor.EndpointDescriptor;
import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import io.flowhost.sdk.ServiceContext;
import io.flowhost.wire.protocol.BadRequestException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceBinderTest {

    private final ServiceBinder binder = new ServiceBinder(Json.mapper());

    // ---- services that bind ---------------------------------------------------------------

    public record Features(double sepalLength, double petalLength) {}

    public record Prediction(String species) {}

    @Service(name = "iris")
    public static class IrisService {

        @Endpoint(value = "classify", example = "{\"sepalLength\": 5.1, \"petalLength\": 1.4}")
        public Prediction predict(Features features) {
            return new Prediction("setosa");
        }

        @Endpoint
        public Map<String, Object> predictProba(Map<String, Object> body) {
            return body;
        }

        @Endpoint
        public Map<String, Object> info() {
            return Map.of("version", 1);
        }

        @Endpoint
        public void reset() {}

        /** Not an endpoint: no annotation. */
        public String helper(String a, String b) {
            return a + b;
        }
    }

    @Service
    public static class FraudScoreService {

        @Endpoint
        public Map<String, Object> score(Map<String, Object> body) {
            return body;
        }
    }

    @Service(name = "both")
    public static class BothConstructors {

        public BothConstructors() {}

        public BothConstructors(ServiceContext context) {}

        @Endpoint
        public Map<String, Object> info() {
            return Map.of();
        }
    }

    @Service(name = "plain")
    public static class NoArgConstructorOnly {

        @Endpoint
        public Map<String, Object> info() {
            return Map.of();
        }
    }

    public static class BaseModel {

        @Endpoint
        public Map<String, Object> predict(Map<String, Object> body) {
            return body;
        }
    }

    @Service(name = "override")
    public static class OverridingService extends BaseModel {

        @Override
        @Endpoint
        public Map<String, Object> predict(Map<String, Object> body) {
            return Map.of("overridden", true);
        }
    }

    // ---- services that do not bind --------------------------------------------------------

    @Service(name = "clash")
    public static class TwoEndpointsOneRoute {

        @Endpoint("predict")
        public Prediction predict(Features features) {
            return null;
        }

        @Endpoint("predict")
        public Prediction classify(Features features) {
            return null;
        }
    }

    @Service(name = "two-params")
    public static class TwoParameters {

        @Endpoint
        public Prediction predict(Features features, Features other) {
            return null;
        }
    }

    @Service(name = "primitive")
    public static class PrimitiveParameter {

        @Endpoint
        public Prediction predict(double sepalLength) {
            return null;
        }
    }

    @Service(name = "string")
    public static class StringParameter {

        @Endpoint
        public Prediction predict(String text) {
            return null;
        }
    }

    @Service(name = "list")
    public static class ListParameter {

        @Endpoint
        public Prediction predict(List<Features> batch) {
            return null;
        }
    }

    public interface Shape {
        double area();
    }

    @Service(name = "interface")
    public static class InterfaceParameter {

        @Endpoint
        public Prediction predict(Shape shape) {
            return null;
        }
    }

    @Service(name = "hidden")
    public static class NonPublicEndpoint {

        @Endpoint
        Map<String, Object> info() {
            return Map.of();
        }
    }

    @Service(name = "static")
    public static class StaticEndpoint {

        @Endpoint
        public static Map<String, Object> info() {
            return Map.of();
        }
    }

    @Service(name = "empty")
    public static class NoEndpoints {

        public Map<String, Object> info() {
            return Map.of();
        }
    }

    @Service(name = "no-constructor")
    public static class NoUsableConstructor {

        public NoUsableConstructor(String modelPath) {}

        @Endpoint
        public Map<String, Object> info() {
            return Map.of();
        }
    }

    public static class NotAnnotated {

        @Endpoint
        public Map<String, Object> info() {
            return Map.of();
        }
    }

    @Service(name = "Iris_Service")
    public static class InvalidServiceName {

        @Endpoint
        public Map<String, Object> info() {
            return Map.of();
        }
    }

    @Service(name = "routes")
    public static class InvalidRouteName {

        @Endpoint("Predict Now")
        public Map<String, Object> info() {
            return Map.of();
        }
    }

    // ---- descriptors ----------------------------------------------------------------------

    @Test
    void aBodyJacksonWouldReadAsUtf32IsRefusedAsNotUtf8() throws Exception {
        // Leading zero bytes make Jackson guess UTF-32, and then fail with an exception of no JSON kind
        var body = new byte[100];
        System.arraycopy("{\"a\": 1}".getBytes(StandardCharsets.UTF_8), 0, body, 90, 8);
        var classify = binder.bind(IrisService.class).endpoint("classify");

        assertThatThrownBy(() -> classify.read(new ByteArrayInputStream(body)))
                .isInstanceOf(BadRequestException.class)
                .hasMessageStartingWith("the request body is not JSON in UTF-8: Invalid UTF-32 character");
    }

    @Test
    void theServiceNameComesFromTheServiceAnnotation() throws Exception {
        var descriptor = binder.bind(IrisService.class).descriptor();

        assertThat(descriptor.service()).isEqualTo("iris");
        assertThat(descriptor.className()).isEqualTo(IrisService.class.getName());
    }

    @Test
    void withoutANameTheServiceIsNamedAfterItsClassInKebabCase() throws Exception {
        var descriptor = binder.bind(FraudScoreService.class).descriptor();

        assertThat(descriptor.service()).isEqualTo("fraud-score-service");
    }

    @Test
    void routesAreTheAnnotationValueOrTheKebabCasedMethodName() throws Exception {
        var descriptor = binder.bind(IrisService.class).descriptor();

        assertThat(descriptor.endpoints())
                .extracting(EndpointDescriptor::name)
                .containsExactlyInAnyOrder("classify", "predict-proba", "info", "reset");
    }

    @Test
    void anEndpointWithoutParametersIsCalledWithGet() throws Exception {
        var info = endpoint(binder.bind(IrisService.class).descriptor(), "info");

        assertThat(info.method()).isEqualTo("GET");
        assertThat(info.input()).isEmpty();
    }

    @Test
    void anEndpointWithOneParameterIsCalledWithPostAndDescribesItsTypes() throws Exception {
        var classify = endpoint(binder.bind(IrisService.class).descriptor(), "classify");

        assertThat(classify.method()).isEqualTo("POST");
        assertThat(classify.input()).isEqualTo(Features.class.getTypeName());
        assertThat(classify.output()).isEqualTo(Prediction.class.getTypeName());
    }

    @Test
    void aMapParameterIsAcceptedAsTheBody() throws Exception {
        var proba = endpoint(binder.bind(IrisService.class).descriptor(), "predict-proba");

        assertThat(proba.method()).isEqualTo("POST");
        assertThat(proba.input()).isEqualTo("java.util.Map<java.lang.String, java.lang.Object>");
    }

    @Test
    void theExampleTextIsKeptAndDefaultsToEmpty() throws Exception {
        var descriptor = binder.bind(IrisService.class).descriptor();

        assertThat(endpoint(descriptor, "classify").example())
                .isEqualTo("{\"sepalLength\": 5.1, \"petalLength\": 1.4}");
        assertThat(endpoint(descriptor, "info").example()).isEmpty();
    }

    @Test
    void aMethodWithoutTheEndpointAnnotationIsNotAnEndpoint() throws Exception {
        var descriptor = binder.bind(IrisService.class).descriptor();

        assertThat(descriptor.endpoint("helper")).isEmpty();
    }

    @Test
    void anEndpointOverriddenAndAnnotatedAgainInASubclassIsBoundOnceNotReportedAsAClash() throws Exception {
        var descriptor = binder.bind(OverridingService.class).descriptor();

        assertThat(descriptor.endpoints()).extracting(EndpointDescriptor::name).containsExactly("predict");
    }

    // ---- constructors ---------------------------------------------------------------------

    @Test
    void aConstructorTakingServiceContextIsPreferredOverTheNoArgOne() throws Exception {
        var bound = binder.bind(BothConstructors.class);

        assertThat(bound.constructor().getParameterTypes()).containsExactly(ServiceContext.class);
        assertThat(bound.takesContext()).isTrue();
    }

    @Test
    void theNoArgConstructorIsUsedWhenThereIsNoContextConstructor() throws Exception {
        var bound = binder.bind(NoArgConstructorOnly.class);

        assertThat(bound.constructor().getParameterCount()).isZero();
        assertThat(bound.takesContext()).isFalse();
    }

    // ---- mistakes -------------------------------------------------------------------------

    @Test
    void twoEndpointsWithOneRouteAreRejectedNamingBothMethods() {
        var message = rejection(TwoEndpointsOneRoute.class);

        assertThat(message)
                .contains("'predict'")
                .contains(TwoEndpointsOneRoute.class.getName() + ".predict(Features)")
                .contains(TwoEndpointsOneRoute.class.getName() + ".classify(Features)")
                .contains("give one of them another name");
    }

    @Test
    void anEndpointWithMoreThanOneParameterIsRejectedSuggestingARecord() {
        var message = rejection(TwoParameters.class);

        assertThat(message)
                .contains(TwoParameters.class.getName() + ".predict(Features, Features)")
                .contains("takes 2 parameters")
                .contains("gather the values in a record");
    }

    @Test
    void aPrimitiveParameterIsRejectedSuggestingToWrapItInARecord() {
        var message = rejection(PrimitiveParameter.class);

        assertThat(message)
                .contains(PrimitiveParameter.class.getName() + ".predict(double)")
                .contains("wrap the value in a record");
    }

    @Test
    void aStringParameterIsRejectedSuggestingToWrapItInARecord() {
        var message = rejection(StringParameter.class);

        assertThat(message)
                .contains(StringParameter.class.getName() + ".predict(String)")
                .contains("wrap the value in a record");
    }

    @Test
    void aListParameterIsRejectedSuggestingToWrapTheListInARecord() {
        var message = rejection(ListParameter.class);

        assertThat(message)
                .contains(ListParameter.class.getName() + ".predict(List)")
                .contains("wrap the list in a record");
    }

    @Test
    void anInterfaceParameterIsRejectedAskingForAConcreteType() {
        var message = rejection(InterfaceParameter.class);

        assertThat(message)
                .contains(InterfaceParameter.class.getName() + ".predict(Shape)")
                .contains("use a concrete class or record");
    }

    @Test
    void aNonPublicEndpointMethodIsRejectedAskingToMakeItPublic() {
        var message = rejection(NonPublicEndpoint.class);

        assertThat(message)
                .contains(NonPublicEndpoint.class.getName() + ".info()")
                .contains("is not public")
                .contains("declare the endpoint method 'public'");
    }

    @Test
    void aStaticEndpointMethodIsRejectedAskingForAnInstanceMethod() {
        var message = rejection(StaticEndpoint.class);

        assertThat(message)
                .contains(StaticEndpoint.class.getName() + ".info()")
                .contains("is static")
                .contains("must be an instance method");
    }

    @Test
    void aServiceWithoutEndpointsIsRejectedAskingToAnnotateAMethod() {
        var message = rejection(NoEndpoints.class);

        assertThat(message)
                .contains(NoEndpoints.class.getName())
                .contains("has no endpoints")
                .contains("annotate at least one public method with @io.flowhost.sdk.Endpoint");
    }

    @Test
    void aServiceWithoutAUsableConstructorIsRejectedNamingTheConstructorsItNeeds() {
        var message = rejection(NoUsableConstructor.class);

        assertThat(message)
                .contains(NoUsableConstructor.class.getName())
                .contains("no constructor flowhost can call")
                .contains("taking no arguments or one taking io.flowhost.sdk.ServiceContext");
    }

    @Test
    void aClassWithoutTheServiceAnnotationIsRejectedAskingToAnnotateIt() {
        var message = rejection(NotAnnotated.class);

        assertThat(message)
                .contains(NotAnnotated.class.getName())
                .contains("is not annotated @Service")
                .contains("annotate the class with @io.flowhost.sdk.Service");
    }

    @Test
    void anInvalidServiceNameIsRejectedNamingItAndTheRule() {
        var message = rejection(InvalidServiceName.class);

        assertThat(message)
                .contains(InvalidServiceName.class.getName())
                .contains("'Iris_Service'")
                .contains("lowercase letters, digits and dashes");
    }

    @Test
    void anInvalidRouteNameIsRejectedNamingTheMethodAndTheRule() {
        var message = rejection(InvalidRouteName.class);

        assertThat(message)
                .contains(InvalidRouteName.class.getName() + ".info()")
                .contains("'Predict Now'")
                .contains("lowercase letters, digits, dashes and underscores");
    }

    // ---- helpers --------------------------------------------------------------------------

    private static EndpointDescriptor endpoint(ServiceDescriptor descriptor, String name) {
        return descriptor
                .endpoint(name)
                .orElseThrow(() -> new AssertionError("no endpoint '" + name + "' in " + descriptor));
    }

    /** The message of the ServiceDefinitionException that binding the class throws. */
    private String rejection(Class<?> type) {
        try {
            var bound = binder.bind(type);
            return fail("expected " + type.getName() + " to be rejected, but it bound as " + bound.descriptor());
        } catch (ServiceDefinitionException e) {
            return e.getMessage();
        }
    }
}
