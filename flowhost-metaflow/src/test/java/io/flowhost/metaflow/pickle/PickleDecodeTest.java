package io.flowhost.metaflow.pickle;

import static io.flowhost.metaflow.pickle.TestPickles.asList;
import static io.flowhost.metaflow.pickle.TestPickles.asMap;
import static io.flowhost.metaflow.pickle.TestPickles.decodeHex;
import static io.flowhost.metaflow.pickle.TestPickles.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Python values decoded from small pickles, checked as the Java values the caller gets. */
class PickleDecodeTest {

    @Test
    void bigIntsBecomeLongsWhenTheyFitAndBigIntegersWhenNot() {
        // pickle.dumps([2**62, -2**63, 2**70], protocol=4): three LONG1 opcodes
        var values = asList(decodeHex(
                "80049524000000000000005d94288a0800000000000000408a080000000000000080" + "8a09000000000000000040652e"));

        assertThat(values).containsExactly(1L << 62, Long.MIN_VALUE, BigInteger.TWO.pow(70));
        assertThat(values.get(0)).isInstanceOf(Long.class);
        assertThat(values.get(2)).isInstanceOf(BigInteger.class);
    }

    @Test
    void floatsKeepNanNegativeZeroAndInfinitiesExactly() {
        // pickle.dumps([float('nan'), -0.0, float('inf'), float('-inf')], protocol=4)
        var values = asList(decodeHex("80049529000000000000005d9428477ff8000000000000478000000000000000477ff0"
                + "00000000000047fff0000000000000652e"));

        assertThat((Double) values.get(0)).isNaN();
        assertThat(Double.doubleToRawLongBits((Double) values.get(1))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(values.subList(2, 4)).containsExactly(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
    }

    @Test
    void protocol2BytesAreReadFromCodecsEncodeAsLatin1() {
        // pickle.dumps(b'\x00\xffab', protocol=2): _codecs.encode('\x00\xffab', 'latin1')
        var value = decodeHex("8002635f636f646563730a656e636f64650a7100580500000000c3bf6162710158060000006c6174696e31"
                + "71028671035271042e");

        assertThat((byte[]) value).containsExactly(0x00, 0xFF, 'a', 'b');
    }

    @Test
    void protocol2EmptyBytesAreBuiltinBytesCalledWithoutArguments() {
        // pickle.dumps(b'', protocol=2): __builtin__.bytes()
        assertThat((byte[]) decodeHex("8002635f5f6275696c74696e5f5f0a62797465730a7100295271012e"))
                .isEmpty();
    }

    @Test
    void protocol5BytearrayIsReadAsBytes() {
        // pickle.dumps(bytearray(b'ab'), protocol=5): BYTEARRAY8
        assertThat((byte[]) decodeHex("8005950d000000000000009602000000000000006162942e"))
                .containsExactly('a', 'b');
    }

    @Test
    void stringsAreUtf8WithAstralCharacters() {
        // pickle.dumps('café 😀', protocol=4)
        assertThat(decodeHex("8004950e000000000000008c0a636166c3a920f09f9880942e"))
                .isEqualTo("café \uD83D\uDE00");
    }

    @Test
    void setsKeepTheirPickledOrderAndKind() {
        // pickle.dumps({1, 2, 3}, protocol=4): EMPTY_SET + ADDITEMS
        assertThat(decodeHex("8004950b000000000000008f94284b014b024b03902e"))
                .isEqualTo(new PySet(false, List.of(1L, 2L, 3L)));
        // pickle.dumps(frozenset({'a'}), protocol=4): FROZENSET
        assertThat(decodeHex("8004950800000000000000288c01619491942e")).isEqualTo(new PySet(true, List.of("a")));
        // pickle.dumps({1, 2}, protocol=2): __builtin__.set([1, 2])
        assertThat(decodeHex("8002635f5f6275696c74696e5f5f0a7365740a71005d7101284b014b02658571025271032e"))
                .isEqualTo(new PySet(false, List.of(1L, 2L)));
    }

    @Test
    void tuplesCanBeDictKeysAndAreComparedByValue() {
        // pickle.dumps({(1, 'a'): 'x', (2, 'b'): 'y'}, protocol=4)
        var dict = asMap(
                decodeHex("8004951d000000000000007d94284b018c01619486948c0178944b028c01629486948c0179" + "94752e"));

        assertThat(dict).isInstanceOf(LinkedHashMap.class);
        assertThat(dict.keySet()).containsExactly(PyTuple.of(1L, "a"), PyTuple.of(2L, "b"));
        assertThat(dict.get(PyTuple.of(2L, "b"))).isEqualTo("y");
    }

    @Test
    void sharedReferencesThroughTheMemoStayTheSameObject() {
        // a = [1]; pickle.dumps([a, a, {'k': a}], protocol=4): BINGET of the memoized list
        var values = asList(decodeHex("80049515000000000000005d94285d944b016168017d948c016b94680173652e"));

        assertThat(values.get(0))
                .isEqualTo(List.of(1L))
                .isSameAs(values.get(1))
                .isSameAs(asMap(values.get(2)).get("k"));
    }

    @Test
    void aListContainingItselfIsDecodedAsSuch() {
        // l = []; l.append(l); pickle.dumps(l, protocol=4)
        var list = asList(decodeHex("80049506000000000000005d946800612e"));

        assertThat(list).hasSize(1);
        assertThat(list.get(0)).isSameAs(list);
    }

    @Test
    void orderedDictBecomesAnInsertionOrderedMap() {
        // pickle.dumps(OrderedDict([('b', 1), ('a', 2)]), protocol=2)
        var dict = asMap(decodeHex("800263636f6c6c656374696f6e730a4f726465726564446963740a71002952710128580100"
                + "00006271024b0158010000006171034b02752e"));

        assertThat(dict).isInstanceOf(LinkedHashMap.class);
        assertThat(dict.keySet()).containsExactly("b", "a");
    }

    @Test
    void protocol0TextOpcodesAreRead() {
        // pickle.dumps({'a': [1, 2.5, None, True, 'x'], 'b': (1,)}, protocol=0)
        var dict = asMap(Pickle.decode(text("(dp0\nVa\np1\n(lp2\nI1\naF2.5\naNaI01\naVx\np3\nasVb\np4\n(I1\ntp5\ns.")));

        var expected = new LinkedHashMap<Object, Object>();
        expected.put("a", Arrays.asList(1L, 2.5, null, true, "x"));
        expected.put("b", PyTuple.of(1L));
        assertThat(dict).isEqualTo(expected);
    }

    @Test
    void python2StringsAreReadAsLatin1Text() {
        // Python 2 str: STRING with escapes, BINSTRING and SHORT_BINSTRING, in a tuple
        var tuple =
                (PyTuple) Pickle.decode(text("(S'a\\x41\\n\\'\\xe9'\nT\u0003\u0000\u0000\u0000abcU\u0002\u00e9!t."));

        assertThat(tuple.items()).containsExactly("aA\n'\u00e9", "abc", "\u00e9!");
    }

    @Test
    void protocol0LongsAndFloatsAreRead() {
        var tuple = (PyTuple) Pickle.decode(text("(L1180591620717411303424L\nL-5L\nFnan\nF-inf\nF1e-05\nI-7\nt."));

        assertThat(tuple.items().get(0)).isEqualTo(BigInteger.TWO.pow(70));
        assertThat(tuple.items().get(1)).isEqualTo(-5L);
        assertThat((Double) tuple.items().get(2)).isNaN();
        assertThat(tuple.items().subList(3, 6)).containsExactly(Double.NEGATIVE_INFINITY, 1e-5, -7L);
    }

    @Test
    void bytesAfterStopAreIgnoredAsPythonDoes() {
        assertThat(Pickle.decode(TestPickles.hex("80044b072e" + "ffff"))).isEqualTo(7L);
    }
}
