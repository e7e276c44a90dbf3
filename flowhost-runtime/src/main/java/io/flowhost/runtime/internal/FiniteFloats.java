package io.flowhost.runtime.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.ArrayType;
import java.io.IOException;
import java.util.Set;

/**
 * Refuses a double or a float that is not finite however it was written: Jackson reads the strings
 * {@code "NaN"}, {@code "Infinity"} and {@code "1e400"} into a double field as NaN and Infinity, a way round
 * the parser's own check of numbers ({@link FiniteNumbersFactory}), which never sees a string as a number.
 */
final class FiniteFloats extends SimpleModule {

    private static final Set<Class<?>> FLOATING =
            Set.of(double.class, Double.class, float.class, Float.class, double[].class, float[].class, Number.class);

    FiniteFloats() {
        super("finite-floats");
        setDeserializerModifier(new Checking());
    }

    /** Puts the check in front of the deserializers of the floating-point types. */
    private static final class Checking extends BeanDeserializerModifier {

        @Override
        public JsonDeserializer<?> modifyDeserializer(
                DeserializationConfig config, BeanDescription description, JsonDeserializer<?> deserializer) {
            return FLOATING.contains(description.getBeanClass()) ? new Checked(deserializer) : deserializer;
        }

        @Override
        public JsonDeserializer<?> modifyArrayDeserializer(
                DeserializationConfig config,
                ArrayType type,
                BeanDescription description,
                JsonDeserializer<?> deserializer) {
            return FLOATING.contains(type.getRawClass()) ? new Checked(deserializer) : deserializer;
        }
    }

    /** A floating-point deserializer whose non-finite results fail as a number out of range would. */
    private static final class Checked extends DelegatingDeserializer {

        Checked(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new Checked(delegate);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            var value = super.deserialize(parser, context);
            var notFinite = notFinite(value);
            if (notFinite != null) {
                var type = value instanceof Float || value instanceof float[] ? Float.TYPE : Double.TYPE;
                throw new InputCoercionException(
                        parser, "value (" + notFinite + ") is not a finite number", parser.currentToken(), type);
            }
            return value;
        }

        /** The first value that is not a finite number, or null. */
        private static Object notFinite(Object value) {
            if (value instanceof Double d && !Double.isFinite(d)) {
                return d;
            }
            if (value instanceof Float f && !Float.isFinite(f)) {
                return f;
            }
            if (value instanceof double[] values) {
                for (double d : values) {
                    if (!Double.isFinite(d)) {
                        return d;
                    }
                }
            }
            if (value instanceof float[] values) {
                for (float f : values) {
                    if (!Float.isFinite(f)) {
                        return f;
                    }
                }
            }
            return null;
        }
    }
}
