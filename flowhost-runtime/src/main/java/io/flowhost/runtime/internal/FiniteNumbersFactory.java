package io.flowhost.runtime.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.DataInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

/**
 * A JSON factory whose parsers refuse a number read as a double or a float that does not fit one, such as
 * {@code 1e400}, which Jackson would otherwise hand on as Infinity (written back as the string "Infinity").
 *
 * <p>The check sits in the parser, not in the deserializers, because every reader of a number goes through it:
 * record components, lists and arrays of them, {@code Map<String, Object>} and {@code Object} values, JSON trees.
 * The {@link InputCoercionException} it throws is the one Jackson throws for an int that does not fit, so callers
 * get the same 400 naming the field and the range; a number bound to a BigDecimal or a BigInteger is exact and
 * never refused.
 */
final class FiniteNumbersFactory extends JsonFactory {

    FiniteNumbersFactory(JsonFactoryBuilder builder) {
        super(builder);
    }

    private FiniteNumbersFactory(FiniteNumbersFactory source, ObjectCodec codec) {
        super(source, codec);
    }

    @Override
    public JsonFactory copy() {
        return new FiniteNumbersFactory(this, null);
    }

    @Override
    protected JsonParser _createParser(InputStream in, IOContext context) throws IOException {
        return new FiniteNumbersParser(super._createParser(in, context));
    }

    @Override
    protected JsonParser _createParser(Reader reader, IOContext context) throws IOException {
        return new FiniteNumbersParser(super._createParser(reader, context));
    }

    @Override
    protected JsonParser _createParser(char[] data, int offset, int length, IOContext context, boolean recyclable)
            throws IOException {
        return new FiniteNumbersParser(super._createParser(data, offset, length, context, recyclable));
    }

    @Override
    protected JsonParser _createParser(byte[] data, int offset, int length, IOContext context) throws IOException {
        return new FiniteNumbersParser(super._createParser(data, offset, length, context));
    }

    @Override
    protected JsonParser _createParser(DataInput input, IOContext context) throws IOException {
        return new FiniteNumbersParser(super._createParser(input, context));
    }

    /** A parser that fails where a number read as a double or a float would come out infinite. */
    private static final class FiniteNumbersParser extends JsonParserDelegate {

        FiniteNumbersParser(JsonParser parser) {
            super(parser);
        }

        @Override
        public double getDoubleValue() throws IOException {
            return finite(super.getDoubleValue());
        }

        @Override
        public float getFloatValue() throws IOException {
            float value = super.getFloatValue();
            if (!Float.isFinite(value)) {
                throw outOfRange(Float.TYPE);
            }
            return value;
        }

        @Override
        public double getValueAsDouble() throws IOException {
            return finite(super.getValueAsDouble());
        }

        @Override
        public double getValueAsDouble(double defaultValue) throws IOException {
            return finite(super.getValueAsDouble(defaultValue));
        }

        // Untyped values and JSON trees ask for "a Number": a Double is what a double parse gave them.
        @Override
        public Number getNumberValue() throws IOException {
            return finite(super.getNumberValue());
        }

        @Override
        public Number getNumberValueExact() throws IOException {
            return finite(super.getNumberValueExact());
        }

        private Number finite(Number value) throws IOException {
            if (value instanceof Double d) {
                finite(d.doubleValue());
            } else if (value instanceof Float f && !Float.isFinite(f)) {
                throw outOfRange(Float.TYPE);
            }
            return value;
        }

        private double finite(double value) throws IOException {
            if (!Double.isFinite(value)) {
                throw outOfRange(Double.TYPE);
            }
            return value;
        }

        // Worded for the caller: a reader of JSON trees (the Open Inference Protocol's) passes it on as it is.
        private InputCoercionException outOfRange(Class<?> type) throws IOException {
            var max = type == Float.TYPE ? Float.toString(Float.MAX_VALUE) : Double.toString(Double.MAX_VALUE);
            var message = "Numeric value (" + getText() + ") is out of range: a number here must be from -" + max
                    + " to " + max;
            return new InputCoercionException(this, message, currentToken(), type);
        }
    }
}
