package io.flowhost.metaflow.pickle;

import static io.flowhost.metaflow.pickle.TestPickles.hex;
import static io.flowhost.metaflow.pickle.TestPickles.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hostile and broken pickles: nothing runs, nothing huge is allocated, and every failure says what and where. */
class PickleSafetyTest {

    @Test
    void aFewBytesAskingForCopiesOfAMemoizedValueOverAndOverAreRefused() {
        // bytes = builtins.bytes (memo 0); b = 1 MiB (memo 1); then [bytes(b), bytes(b), ...] a thousand times:
        // 1 MiB of input asking for 1 GiB of copies.
        var pickle = new ByteArrayOutputStream();
        pickle.writeBytes(hex("80048c086275696c74696e738c05627974657393" + "94"));
        pickle.writeBytes(hex("42" + "00001000")); // BINBYTES, length 1 MiB (little-endian)
        pickle.writeBytes(new byte[1 << 20]);
        pickle.writeBytes(hex("94" + "30" + "30" + "5d" + "28")); // MEMOIZE, POP, POP, EMPTY_LIST, MARK
        for (int i = 0; i < 1000; i++) {
            pickle.writeBytes(hex("6800" + "6801" + "85" + "52")); // BINGET 0, BINGET 1, TUPLE1, REDUCE
        }
        pickle.writeBytes(hex("65" + "2e")); // APPENDS, STOP

        assertThatThrownBy(() -> Pickle.decode(pickle.toByteArray()))
                .isInstanceOf(CorruptPickleException.class)
                .hasMessageContaining("copies values it already holds");
    }

    @Test
    void osSystemIsRefusedByNameAndNeverRun(@TempDir Path dir) {
        Path marker = dir.resolve("pwned");
        // cos\nsystem\n(V<command>\ntR. : os.system('touch <marker>') in protocol 0
        byte[] pickle = text("cos\nsystem\n(Vtouch " + marker + "\ntR.");

        assertThatThrownBy(() -> Pickle.decode(pickle))
                .isInstanceOfSatisfying(UnsupportedPickleException.class, e -> {
                    assertThat(e.pythonType()).contains("os.system");
                    assertThat(e.offset()).isZero();
                })
                .hasMessageContaining("os.system");
        assertThat(Files.exists(marker)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "STACK_GLOBAL builtins.eval, 80048c086275696c74696e73948c046576616c94938c0131855294",
        "GLOBAL __builtin__.getattr, 8002635f5f6275696c74696e5f5f0a676574617474720a29",
        "GLOBAL subprocess.Popen, 80026373756270726f636573730a506f70656e0a29",
        "GLOBAL builtins.object, 8002636275696c74696e730a6f626a6563740a29",
        "GLOBAL copy_reg._reconstructor, 800263636f70795f7265670a5f7265636f6e7374727563746f720a29",
        "STACK_GLOBAL __main__.ForeachFrame, 80048c085f5f6d61696e5f5f8c0c466f72656163684672616d6593",
        "GLOBAL numpy.load, 8002636e756d70790a6c6f61640a29",
    })
    void globalsOutsideTheWhitelistAreRefusedWhereTheyAppear(String label, String pickleHex) {
        String name = label.substring(label.indexOf(' ') + 1);
        String expected = name.replace("__builtin__.", "builtins.").replace("copy_reg.", "copyreg.");

        assertThatThrownBy(() -> Pickle.decode(hex(pickleHex + "2e")))
                .isInstanceOfSatisfying(
                        UnsupportedPickleException.class,
                        e -> assertThat(e.pythonType()).contains(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "numpy arrays sharing a dtype (protocol 2)",
        "numpy fortran-order int64 array (protocol 5)",
        "dict with int and tuple keys (protocol 0)",
        "set of mixed items sorted by repr (protocol 4)",
        "ints around 2**53 (protocol 1)",
    })
    void everyTruncationOfAValidPickleIsReportedAsCorrupt(String name) {
        byte[] full = hex(PickleCasesTest.pickleNamed(name));
        Pickle.decode(full);

        for (int length = 0; length < full.length; length++) {
            byte[] prefix = Arrays.copyOf(full, length);
            assertThat(catchThrowable(() -> Pickle.decode(prefix)))
                    .as("prefix of %d bytes", length)
                    .isInstanceOf(CorruptPickleException.class);
        }
    }

    @Test
    void aTruncatedStreamSaysWhatWasMissingWhere() {
        // BINUNICODE announcing 16 bytes, followed by only "abc."
        assertThatThrownBy(() -> Pickle.decode(hex("800458100000006162632e")))
                .isInstanceOfSatisfying(
                        CorruptPickleException.class,
                        e -> assertThat(e.offset()).isEqualTo(2))
                .hasMessage("corrupt pickle at offset 2: truncated pickle: BINUNICODE needs 16 more bytes, 4 remain");
        assertThatThrownBy(() -> Pickle.decode(hex("80044b07")))
                .isInstanceOf(CorruptPickleException.class)
                .hasMessageContaining("without a STOP");
        assertThatThrownBy(() -> Pickle.decode(new byte[0])).isInstanceOf(CorruptPickleException.class);
    }

    @Test
    void aMemoIndexThatWasNeverStoredIsCorrupt() {
        assertThatThrownBy(() -> Pickle.decode(hex("80045d9468052e")))
                .isInstanceOf(CorruptPickleException.class)
                .hasMessage("corrupt pickle at offset 4: memo index 5 was never stored (1 memo entries)");
        assertThatThrownBy(() -> Pickle.decode(hex("80046affffffff2e")))
                .isInstanceOf(CorruptPickleException.class)
                .hasMessageContaining("memo index 4294967295");
        assertThatThrownBy(() -> Pickle.decode(text("N0g-1\n.")))
                .isInstanceOf(CorruptPickleException.class)
                .hasMessageContaining("memo index -1");
    }

    @Test
    void aHugeMemoIndexCostsOneEntry() {
        // LONG_BINPUT 0xfffffffe then LONG_BINGET of it
        assertThat(Pickle.decode(hex("80044b0772feffffff6afeffffff2e"))).isEqualTo(7L);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "BINUNICODE of 4 GiB, 8004 58ffffffff 2e",
        "BINUNICODE8 of 2^63, 8004 8dffffffffffffff7f 2e",
        "BINBYTES8 above 2^63, 8004 8effffffffffffffff 2e",
        "BYTEARRAY8 of 2^40, 8005 960000000000010000 2e",
        "LONG4 of 2 GiB, 8004 8bffffff7f 2e",
        "FRAME longer than the data, 8004 95ffffff0000000000 4b012e",
    })
    void lengthsLargerThanTheDataAreRefusedBeforeAllocating(String label, String pickleHex) {
        assertThatThrownBy(() -> Pickle.decode(hex(pickleHex.replace(" ", ""))))
                .isInstanceOf(CorruptPickleException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void negativeLengthsAreRefused() {
        assertThatThrownBy(() -> Pickle.decode(hex("800254ffffffff2e")))
                .isInstanceOf(CorruptPickleException.class)
                .hasMessageContaining("BINSTRING declares a negative length");
        assertThatThrownBy(() -> Pickle.decode(hex("80028b000000802e")))
                .isInstanceOf(CorruptPickleException.class)
                .hasMessageContaining("LONG4 declares a negative length");
    }

    @Test
    void deepNestingIsDecodedWithoutRecursionButRefusedAsJson() {
        int depth = 200_000;
        var pickle = new StringBuilder("8004");
        pickle.append("5d".repeat(depth)).append("61".repeat(depth - 1)).append("2e");

        Object value = Pickle.decode(hex(pickle.toString()));

        assertThat(value).isInstanceOf(List.class);
        assertThatThrownBy(() -> PythonJson.toJson(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deeper than 1000");
    }

    @Test
    void deeplyNestedTupleKeysAreRefusedBeforeHashing() {
        // {((((...1...),),),): 1} with 5000 levels
        String pickle = "80047d944b01" + "85".repeat(5000) + "4b01732e";

        assertThatThrownBy(() -> Pickle.decode(hex(pickle)))
                .isInstanceOf(UnsupportedPickleException.class)
                .hasMessageContaining("nested deeper than 1000");
    }

    @Test
    @Timeout(10)
    void keysBuiltFromSharedPartsAreCheckedHashedAndComparedInLinearTime() {
        // {t60: 1, u60: 2} where t0 = (1,), t(k) = (t(k-1), t(k-1)), and u is an equal but separate chain:
        // written out, each key has 2**60 leaves; CPython itself would hang hashing it.
        var pickle = new StringBuilder("80047d94");
        int memo = 1;
        for (int chain = 1; chain <= 2; chain++) {
            pickle.append("4b018594"); // t0 = (1,), memoized
            for (int k = 1; k <= 60; k++, memo++) {
                String get = String.format("6a%08x", Integer.reverseBytes(memo)); // LONG_BINGET t(k-1)
                pickle.append("30").append(get).append(get).append("8694"); // POP, t(k) = (t(k-1), t(k-1))
            }
            memo++;
            pickle.append(String.format("4b%02x73", chain)); // SETITEM key t60, value 1 or 2
        }
        var dict = TestPickles.asMap(Pickle.decode(hex(pickle.append("2e").toString())));

        assertThat(dict).hasSize(1);
        assertThat(dict.values()).containsExactly(2L);
        assertThatThrownBy(() -> PythonJson.toJson(dict))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("would expand to");
    }

    @Test
    void unhashableDictKeysAreCorrupt() {
        // {[]: 1}
        assertThatThrownBy(() -> Pickle.decode(hex("80047d5d4b01732e")))
                .isInstanceOf(CorruptPickleException.class)
                .hasMessageContaining("unhashable list used as a dict key");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "PERSID, 800250310a2e",
        "BINPERSID, 80024b0151",
        "EXT1, 8002820132",
        "INST, 80022869736f730a73797374656d0a2e",
        "OBJ, 8002284e6f",
        "NEXT_BUFFER, 800597",
        "protocol 6, 80062e",
    })
    void opcodesThatReachOutsideThePickleAreRefused(String label, String pickleHex) {
        assertThatThrownBy(() -> Pickle.decode(hex(pickleHex))).isInstanceOf(UnsupportedPickleException.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // pickle.dumps(pickle.PickleBuffer(b"abc"), protocol=5, buffer_callback=buffers.append)
        "NEXT_BUFFER then READONLY_BUFFER (bytes), 800597982e",
        // the same of a bytearray
        "NEXT_BUFFER (bytearray), 8005972e",
        "READONLY_BUFFER, 8005982e",
    })
    void outOfBandBuffersAreRefusedSayingWhyNoPickleAloneHasThem(String label, String pickleHex) {
        assertThatThrownBy(() -> Pickle.decode(hex(pickleHex)))
                .isInstanceOfSatisfying(
                        UnsupportedPickleException.class,
                        e -> assertThat(e.pythonType()).isEmpty())
                .hasMessageContaining("out-of-band buffer")
                .hasMessageContaining("pickle protocol 5")
                .hasMessageContaining("cannot be read from a pickle alone")
                .hasMessageContaining("not in Metaflow artifacts");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "unknown opcode 0xff, 8004ff, unknown opcode 0xff",
        "APPEND on an empty stack, 8004612e, stack underflow",
        "TUPLE1 reaching below a MARK, 80044b0128852e, above the MARK",
        "APPENDS without MARK, 80045d652e, without a preceding MARK",
        "SETITEM on a list, 80045d4b014b02732e, needs a dict",
        "REDUCE of a non-callable, 80044e29522e, needs a callable",
        "BUILD on a list, 80045d4e622e, BUILD cannot set the state of a list",
        "invalid UTF-8, 80048c02c3282e, invalid UTF-8",
        "STACK_GLOBAL of ints, 80044b014b02932e, needs a module name",
    })
    void malformedPicklesAreCorruptWithAReason(String label, String pickleHex, String reason) {
        assertThatThrownBy(() -> Pickle.decode(hex(pickleHex)))
                .isInstanceOf(CorruptPickleException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void aWhitelistedClassUsedAsAValueIsRefusedByName() {
        // [builtins.set]
        assertThatThrownBy(() -> Pickle.decode(hex("80045d636275696c74696e730a7365740a612e")))
                .isInstanceOfSatisfying(
                        UnsupportedPickleException.class,
                        e -> assertThat(e.pythonType()).contains("builtins.set"));
    }

    @Test
    void randomlyDamagedFixtureBlobsFailOnlyWithPickleExceptions() {
        var random = new Random(20260826);
        var blobs = new ArrayList<byte[]>();
        PickleCasesTest.values().forEach(a -> blobs.add(hex((String) a.get()[1])));
        for (int round = 0; round < 20_000; round++) {
            byte[] pickle = blobs.get(random.nextInt(blobs.size())).clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                pickle[random.nextInt(pickle.length)] = (byte) random.nextInt(256);
            }
            Throwable thrown = catchThrowable(() -> {
                Object value = Pickle.decode(pickle);
                try {
                    PythonJson.toJson(value);
                } catch (IllegalArgumentException recursive) {
                    // a damaged memo index can make a container contain itself; JSON refuses that
                }
            });
            if (thrown != null && !(thrown instanceof PickleException)) {
                throw new AssertionError("round " + round + ": " + TestPickles.hexOf(pickle), thrown);
            }
        }
    }
}
