package io.flowhost.runtime.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.domain.service.ServiceDescriptor.BatchSettings;
import io.flowhost.domain.service.ServiceDescriptor.EndpointDescriptor;
import io.flowhost.domain.settings.Durations;
import io.flowhost.sdk.Batch;
import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import io.flowhost.sdk.ServiceContext;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a {@link Service} class and binds its {@link Endpoint} methods; every mistake in the
 * class is reported here, before the instance serves anything, naming the class, the method and
 * what to change.
 */
public final class ServiceBinder {

    private static final String PARAMETER_SHAPES = "a record, a POJO or a Map<String, Object>";

    private final ObjectMapper json;
    private final Schemas schemas;

    /** A binder that also describes each endpoint's body and answer as JSON Schema, as a deploy records them. */
    public ServiceBinder(ObjectMapper json) {
        this(json, new Schemas());
    }

    private ServiceBinder(ObjectMapper json, Schemas schemas) {
        this.json = json;
        this.schemas = schemas;
    }

    /**
     * A binder for an instance's start: no JSON Schemas, which the deploy that described the jar already made and
     * checked, and which cost an instance a third of a second of class loading (the generator's 300 classes).
     */
    public static ServiceBinder withoutSchemas(ObjectMapper json) {
        return new ServiceBinder(json, null);
    }

    /** Binds the class or explains, in the exception's message, why it cannot be served. */
    public BoundService bind(Class<?> type) throws ServiceDefinitionException {
        var annotation = type.getAnnotation(Service.class);
        if (annotation == null) {
            throw new ServiceDefinitionException(type.getName() + " is not annotated @Service: annotate the class "
                    + "with @io.flowhost.sdk.Service(name = \"...\")");
        }
        checkClassShape(type);
        var name = annotation.name().isEmpty() ? Names.kebab(type.getSimpleName()) : annotation.name();
        if (!Names.SERVICE.matcher(name).matches()) {
            throw new ServiceDefinitionException(type.getName() + ": service name '" + name + "' is not allowed: use "
                    + "1-63 lowercase letters, digits and dashes, e.g. @Service(name = \"iris\")");
        }
        var constructor = constructor(type);
        var endpoints = endpoints(type);
        var descriptors =
                endpoints.values().stream().map(EndpointBinding::descriptor).toList();
        return new BoundService(
                new ServiceDescriptor(name, type.getName(), descriptors, scaling(annotation)),
                constructor,
                constructor.getParameterCount() == 1,
                endpoints);
    }

    /** The scaling and pod resource defaults the annotation sets, by the deploy setting's key; the platform checks them. */
    private static Map<String, String> scaling(Service annotation) {
        var out = new LinkedHashMap<String, String>();
        if (annotation.minInstances() >= 0) {
            out.put("min-instances", Integer.toString(annotation.minInstances()));
        }
        if (annotation.maxInstances() >= 0) {
            out.put("max-instances", Integer.toString(annotation.maxInstances()));
        }
        if (annotation.targetInFlight() > 0) {
            out.put("target-in-flight", Double.toString(annotation.targetInFlight()));
        }
        if (annotation.maxConcurrency() >= 0) {
            out.put("max-concurrency", Integer.toString(annotation.maxConcurrency()));
        }
        if (!annotation.idleTimeout().isBlank()) {
            out.put("idle-timeout", annotation.idleTimeout());
        }
        if (!annotation.cpu().isBlank()) {
            out.put("cpu", annotation.cpu());
        }
        if (!annotation.memory().isBlank()) {
            out.put("memory", annotation.memory());
        }
        if (annotation.gpu() != 0) {
            out.put("gpu", Integer.toString(annotation.gpu()));
        }
        return out;
    }

    private static void checkClassShape(Class<?> type) throws ServiceDefinitionException {
        int modifiers = type.getModifiers();
        if (type.isInterface() || Modifier.isAbstract(modifiers)) {
            throw new ServiceDefinitionException(type.getName() + " is abstract: a @Service must be a concrete class");
        }
        if (!Modifier.isPublic(modifiers)) {
            throw new ServiceDefinitionException(type.getName() + " is not public: declare it 'public'");
        }
        if (type.isMemberClass() && !Modifier.isStatic(modifiers)) {
            throw new ServiceDefinitionException(
                    type.getName() + " is an inner class: declare it 'static' or move it " + "to a file of its own");
        }
    }

    private static Constructor<?> constructor(Class<?> type) throws ServiceDefinitionException {
        Constructor<?> noArgs = null;
        for (var candidate : type.getConstructors()) {
            var params = candidate.getParameterTypes();
            if (params.length == 1 && params[0] == ServiceContext.class) {
                return candidate;
            }
            if (params.length == 0) {
                noArgs = candidate;
            }
        }
        if (noArgs == null) {
            throw new ServiceDefinitionException(type.getName() + " has no constructor flowhost can call: add a public "
                    + "constructor taking no arguments or one taking io.flowhost.sdk.ServiceContext");
        }
        return noArgs;
    }

    private Map<String, EndpointBinding> endpoints(Class<?> type) throws ServiceDefinitionException {
        var bound = new LinkedHashMap<String, EndpointBinding>();
        var owners = new LinkedHashMap<String, Method>();
        var methods = new ArrayList<Method>();
        var signatures = new HashSet<String>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (var method : c.getDeclaredMethods()) {
                // A subclass's override hides the method it overrides: bind the most specific one once.
                var signature = method.getName() + Arrays.toString(method.getParameterTypes());
                if (!method.isBridge() && signatures.add(signature) && method.isAnnotationPresent(Endpoint.class)) {
                    methods.add(method);
                }
            }
        }
        methods.sort(Comparator.comparing(Method::getName));
        for (var method : methods) {
            var binding = bind(method);
            var clash = owners.putIfAbsent(binding.name(), method);
            if (clash != null) {
                throw new ServiceDefinitionException("two endpoints share the route '" + binding.name() + "': "
                        + Names.method(clash) + " and " + Names.method(method) + "; give one of them another name "
                        + "with @Endpoint(\"...\")");
            }
            bound.put(binding.name(), binding);
        }
        if (bound.isEmpty()) {
            throw new ServiceDefinitionException(type.getName() + " has no endpoints: annotate at least one public "
                    + "method with @io.flowhost.sdk.Endpoint");
        }
        return bound;
    }

    private EndpointBinding bind(Method method) throws ServiceDefinitionException {
        var where = Names.method(method);
        var annotation = method.getAnnotation(Endpoint.class);
        var route = annotation.value().isEmpty() ? Names.kebab(method.getName()) : annotation.value();
        if (!Names.ROUTE.matcher(route).matches()) {
            throw new ServiceDefinitionException(where + ": route '" + route + "' is not allowed: use 1-63 lowercase "
                    + "letters, digits, dashes and underscores, e.g. @Endpoint(\"predict\")");
        }
        if (route.equals("docs")) {
            throw new ServiceDefinitionException(where + ": route 'docs' is taken by the service's docs page"
                    + " (/v1/services/{service}/docs): name the endpoint otherwise, e.g. @Endpoint(\"documents\")");
        }
        if (!Modifier.isPublic(method.getModifiers())) {
            throw new ServiceDefinitionException(where + " is not public: declare the endpoint method 'public'");
        }
        if (Modifier.isStatic(method.getModifiers())) {
            throw new ServiceDefinitionException(where + " is static: an endpoint must be an instance method");
        }
        if (method.getParameterCount() > 1) {
            throw new ServiceDefinitionException(where + " takes " + method.getParameterCount() + " parameters: an "
                    + "endpoint takes one, the JSON body (" + PARAMETER_SHAPES + "); gather the values in a record");
        }
        var batch = annotation.batch();
        boolean batched = batch.maxSize() != 1;
        JavaType input = null;
        Type inputType = null;
        String inputName = "";
        String outputName = method.getGenericReturnType().getTypeName();
        if (batched) {
            if (StreamedItems.isStream(method.getReturnType())) {
                throw new ServiceDefinitionException(where + " is batched and returns a "
                        + method.getReturnType().getSimpleName() + ": a batched endpoint returns a List with one answer"
                        + " per item; stream from an endpoint that is not batched");
            }
            checkBatch(where, batch);
            var item = batchItem(where, method);
            inputType = item;
            input = inputType(where, item, rawOf(item));
            inputName = item.getTypeName();
            outputName = batchAnswer(where, method);
        } else if (method.getParameterCount() == 1) {
            inputType = method.getGenericParameterTypes()[0];
            input = inputType(where, inputType, method.getParameterTypes()[0]);
            inputName = method.getGenericParameterTypes()[0].getTypeName();
        }
        var returnType = method.getReturnType();
        boolean returnsNothing = returnType == void.class || returnType == Void.class;
        boolean streams = StreamedItems.isStream(returnType);
        if (streams) {
            outputName = StreamedItems.itemType(method.getGenericReturnType());
        }
        if (annotation.modes().length == 0) {
            throw new ServiceDefinitionException(where + " has @Endpoint(modes = {}): allow SYNC, ASYNC or both");
        }
        var modes = Arrays.stream(annotation.modes())
                .distinct()
                .map(m -> m.name().toLowerCase(Locale.ROOT))
                .toList();
        var descriptor = new EndpointDescriptor(
                route,
                input == null ? "GET" : "POST",
                inputName,
                outputName,
                annotation.example(),
                modes,
                batched ? new BatchSettings(batch.maxSize(), batch.maxDelay()) : null,
                streams,
                inputType == null || schemas == null ? null : schemas.of(inputType),
                returnsNothing || schemas == null ? null : schemas.of(answerType(method, batched || streams)));
        return new EndpointBinding(
                descriptor, input, input == null ? null : json.readerFor(input), handle(method, where), returnsNothing);
    }

    /** The type of what a caller gets: the method's return type, or for a stream or a batch the type of its items. */
    private static Type answerType(Method method, boolean ofItems) {
        var returned = method.getGenericReturnType();
        if (ofItems) {
            return returned instanceof ParameterizedType p && p.getActualTypeArguments().length == 1
                    ? p.getActualTypeArguments()[0]
                    : Object.class;
        }
        return returned;
    }

    /** A batch's size and delay, checked: 2 to 1,024 items, a delay of at most a second. */
    private static void checkBatch(String where, Batch batch) throws ServiceDefinitionException {
        if (batch.maxSize() < 2 || batch.maxSize() > BatchSettings.MOST) {
            throw new ServiceDefinitionException(where + " has @Batch(maxSize = " + batch.maxSize() + "): a batch holds"
                    + " 2 to " + BatchSettings.MOST + " items (leave @Batch out for an endpoint that is not batched)");
        }
        Duration delay;
        try {
            delay = Durations.parse(batch.maxDelay());
        } catch (IllegalArgumentException e) {
            throw new ServiceDefinitionException(where + " has @Batch(maxDelay = \"" + batch.maxDelay() + "\"): write"
                    + " a duration such as 5ms or 200us");
        }
        if (delay.compareTo(BatchSettings.LONGEST_DELAY) > 0) {
            throw new ServiceDefinitionException(where + " has @Batch(maxDelay = \"" + batch.maxDelay() + "\"): at"
                    + " most 1s (a caller waits that long for others at worst)");
        }
    }

    /** The item type of a batched endpoint's {@code List<In>} parameter. */
    private static Type batchItem(String where, Method method) throws ServiceDefinitionException {
        var shape = where + " is batched: it takes List<In> (one item per call, e.g. List<Features>) and returns a"
                + " List with one answer per item; ";
        if (method.getParameterCount() != 1 || method.getParameterTypes()[0] != List.class) {
            throw new ServiceDefinitionException(shape + "it takes " + Arrays.toString(method.getParameterTypes()));
        }
        if (!(method.getGenericParameterTypes()[0] instanceof ParameterizedType list)
                || list.getActualTypeArguments()[0] instanceof WildcardType
                || list.getActualTypeArguments()[0] instanceof TypeVariable<?>) {
            throw new ServiceDefinitionException(shape + "name the item type, e.g. List<Features>");
        }
        return list.getActualTypeArguments()[0];
    }

    /** The answer type of a batched endpoint, as callers see it: one element of the list it returns. */
    private static String batchAnswer(String where, Method method) throws ServiceDefinitionException {
        if (!List.class.isAssignableFrom(method.getReturnType())) {
            throw new ServiceDefinitionException(where + " is batched: it returns a List with one answer per item, in"
                    + " their order, not " + method.getReturnType().getSimpleName());
        }
        return method.getGenericReturnType() instanceof ParameterizedType answers
                ? answers.getActualTypeArguments()[0].getTypeName()
                : "java.lang.Object";
    }

    private static Class<?> rawOf(Type type) {
        return switch (type) {
            case Class<?> c -> c;
            case ParameterizedType p -> (Class<?>) p.getRawType();
            default -> Object.class;
        };
    }

    private JavaType inputType(String where, Type generic, Class<?> raw) throws ServiceDefinitionException {
        var unsupported =
                where + " takes a parameter of type " + raw.getSimpleName() + ": it must be " + PARAMETER_SHAPES + "; ";
        if (generic instanceof TypeVariable<?>) {
            throw new ServiceDefinitionException(unsupported + "use a concrete type instead of a type variable");
        }
        if (raw.isPrimitive()
                || raw == String.class
                || Number.class.isAssignableFrom(raw)
                || raw == Boolean.class
                || raw == Character.class
                || raw.isEnum()
                || raw.isArray()
                || raw == Object.class) {
            throw new ServiceDefinitionException(
                    unsupported + "wrap the value in a record, e.g. record Input(" + raw.getSimpleName() + " value)");
        }
        if (Collection.class.isAssignableFrom(raw)) {
            throw new ServiceDefinitionException(
                    unsupported + "wrap the list in a record, e.g. record Batch(List<...> items)");
        }
        if (Map.class.isAssignableFrom(raw)) {
            return json.getTypeFactory().constructType(generic);
        }
        if (raw.isInterface() || Modifier.isAbstract(raw.getModifiers())) {
            throw new ServiceDefinitionException(
                    unsupported + "use a concrete class or record, not an interface or " + "abstract class");
        }
        if (!raw.isRecord() && !hasCallableConstructor(raw)) {
            throw new ServiceDefinitionException(
                    unsupported + raw.getName() + " needs a public no-argument " + "constructor (or make it a record)");
        }
        return json.getTypeFactory().constructType(generic);
    }

    private static boolean hasCallableConstructor(Class<?> raw) {
        for (var constructor : raw.getDeclaredConstructors()) {
            if (constructor.getParameterCount() == 0 || raw.getConstructors().length == 1) {
                return !(raw.isMemberClass() && !Modifier.isStatic(raw.getModifiers()));
            }
        }
        return false;
    }

    private static MethodHandle handle(Method method, String where) throws ServiceDefinitionException {
        try {
            method.setAccessible(true);
            var handle = MethodHandles.publicLookup().unreflect(method);
            var type = method.getParameterCount() == 0
                    ? MethodType.methodType(Object.class, Object.class)
                    : MethodType.methodType(Object.class, Object.class, Object.class);
            return handle.asType(type);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new ServiceDefinitionException(
                    where + " cannot be called by flowhost (" + e.getMessage()
                            + "): make the method and its class public",
                    e);
        }
    }
}
