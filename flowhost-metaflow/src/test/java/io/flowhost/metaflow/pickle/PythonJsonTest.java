package io.flowhost.metaflow.pickle;

import static io.flowhost.metaflow.pickle.TestPickles.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tagged JSON form of the fixtures' {@code value_encoding}, built from Java values directly. */
class PythonJsonTest {

    @Test
    void intsAreJsonNumbersBelowTwoToThe53AndTaggedStringsFromThere() {
        long limit = 1L << 53;
        var json = PythonJson.toJson(List.of(limit - 1, -(limit - 1), limit, -limit, BigInteger.TWO.pow(70), 7L));

        assertThat(json)
                .isEqualTo(json("[9007199254740991, -9007199254740991,"
                        + " {\"$type\":\"int\",\"value\":\"9007199254740992\"}, {\"$type\":\"int\",\"value\":\"-9007199254740992\"},"
                        + " {\"$type\":\"int\",\"value\":\"1180591620717411303424\"}, 7]"));
    }

    @Test
    void floatsAreDoubleNodesAndSpecialValuesAreTagged() {
        var json = PythonJson.toJson(
                List.of(1.0, 0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));

        assertThat(json.get(0).isDouble()).isTrue();
        assertThat(json.get(0).toString()).isEqualTo("1.0");
        assertThat(json.get(1).toString()).isEqualTo("0.0");
        assertThat(json.toString())
                .endsWith("{\"$type\":\"float\",\"value\":\"-0.0\"},{\"$type\":\"float\",\"value\":\"nan\"},"
                        + "{\"$type\":\"float\",\"value\":\"inf\"},{\"$type\":\"float\",\"value\":\"-inf\"}]");
    }

    @Test
    void dictsWithOnlyStrKeysAreObjectsInInsertionOrderOthersArePairLists() {
        var strKeys = new LinkedHashMap<Object, Object>();
        strKeys.put("b", 1L);
        strKeys.put("a", null);
        var mixedKeys = new LinkedHashMap<Object, Object>();
        mixedKeys.put(PyTuple.of(1L, "x"), "t");
        mixedKeys.put("s", true);

        assertThat(PythonJson.toJson(strKeys).toString()).isEqualTo("{\"b\":1,\"a\":null}");
        assertThat(PythonJson.toJson(mixedKeys))
                .isEqualTo(json("{\"$type\":\"dict\",\"items\":["
                        + "[{\"$type\":\"tuple\",\"items\":[1,\"x\"]},\"t\"], [\"s\",true]]}"));
    }

    @Test
    void setItemsAreSortedByTheirPythonRepr() {
        // sorted({10, 9, 100}, key=repr) == [10, 100, 9]; reprs "'a'" < "(1, 2)" < "1" < "None"
        var ints = new PySet(false, new ArrayList<>(List.of(9L, 100L, 10L)));
        var mixed = new PySet(true, Arrays.asList(null, 1L, PyTuple.of(1L, 2L), "a"));

        assertThat(PythonJson.toJson(ints)).isEqualTo(json("{\"$type\":\"set\",\"items\":[10,100,9]}"));
        assertThat(PythonJson.toJson(mixed))
                .isEqualTo(json("{\"$type\":\"frozenset\",\"items\":"
                        + "[\"a\",{\"$type\":\"tuple\",\"items\":[1,2]},1,null]}"));
    }

    @Test
    void bytesCarryLengthAndSha256AndBase64UpTo4096Bytes() {
        var small = PythonJson.toJson(new byte[] {1, 2, 3});
        var large = PythonJson.toJson(new byte[4097]);

        assertThat(small)
                .isEqualTo(
                        json(
                                "{\"$type\":\"bytes\",\"length\":3,"
                                        + "\"sha256\":\"039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81\",\"base64\":\"AQID\"}"));
        assertThat(large.has("base64")).isFalse();
        assertThat(large.get("length").asInt()).isEqualTo(4097);
    }

    @Test
    void ndarraysAreNestedListsWithNumpysDtypeName() {
        var array = new NdArray("<i8", new int[] {2, 0}, false, new byte[0]);
        var scalar = new NumpyScalar("<f8", 0.25);

        assertThat(PythonJson.toJson(array))
                .isEqualTo(json("{\"$type\":\"ndarray\",\"dtype\":\"int64\",\"shape\":[2,0],\"values\":[[],[]]}"));
        assertThat(PythonJson.toJson(scalar)).isEqualTo(json("0.25"));
    }

    @Test
    void anEmptyArrayWhoseShapeAloneWouldMakeBillionsOfJsonArraysIsRefused() {
        var array = new NdArray("<f8", new int[] {Integer.MAX_VALUE, 0}, false, new byte[0]);

        assertThatThrownBy(() -> PythonJson.toJson(array))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JSON arrays");
    }

    @Test
    void sharedReferencesAreWrittenOutEachTimeButAStructureContainingItselfIsRefused() {
        List<Object> shared = List.of(1L);
        var self = new ArrayList<Object>();
        self.add(Map.of("me", self));

        assertThat(PythonJson.toJson(List.of(shared, shared)).toString()).isEqualTo("[[1],[1]]");
        assertThatThrownBy(() -> PythonJson.toJson(self))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contains itself");
    }

    @Test
    void javaTypesThatNoPickleDecodesToAreRefused() {
        assertThatThrownBy(() -> PythonJson.toJson(List.of(new Object())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a decoded pickle value");
    }
}
