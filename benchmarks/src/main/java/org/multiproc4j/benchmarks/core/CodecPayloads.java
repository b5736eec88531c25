package org.multiproc4j.benchmarks.core;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.apache.fory.Fory;
import org.apache.fory.config.Language;
import org.apache.fory.memory.MemoryBuffer;

import org.multiproc4j.core.codec.Codec;
import org.multiproc4j.core.codec.CodecBuffer;
import org.multiproc4j.core.codec.Codecs;

/**
 * The payloads and the contenders of {@link CodecBenchmark} and {@link CodecColdStart}: raw Kryo and raw Fory,
 * each configured as a codec for messages would be (class registration required, no reference tracking),
 * and multiproc4j's two codecs.
 */
final class CodecPayloads {

    private CodecPayloads() {
    }

    /** Like a task message: a few ints and a String. */
    record TaskMessage(int id, int attempt, int worker, long deadline, String name) implements Serializable {
    }

    /** The same message as a plain class (Kryo's FieldSerializer rather than its RecordSerializer). */
    static final class TaskPojo implements Serializable {
        private static final long serialVersionUID = 1L;
        int id;
        int attempt;
        int worker;
        long deadline;
        String name;

        TaskPojo() {
        }

        TaskPojo(int id, int attempt, int worker, long deadline, String name) {
            this.id = id;
            this.attempt = attempt;
            this.worker = worker;
            this.deadline = deadline;
            this.name = name;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof TaskPojo)) {
                return false;
            }
            TaskPojo t = (TaskPojo) o;
            return t.id == id && t.attempt == attempt && t.worker == worker && t.deadline == deadline
                    && t.name.equals(name);
        }

        @Override
        public int hashCode() {
            return id;
        }
    }

    static Object payload(String name) {
        switch (name) {
            case "record":
                return new TaskMessage(12345, 2, 7, 1_700_000_000_000L, "cube-42");
            case "pojo":
                return new TaskPojo(12345, 2, 7, 1_700_000_000_000L, "cube-42");
            case "integer":
                return 1_234_567;
            case "string100":
                return "multiproc4j-".repeat(9).substring(0, 100);
            case "list100": {
                List<Integer> list = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    list.add(i * 37);
                }
                return list;
            }
            case "map10": {
                Map<String, Integer> map = new HashMap<>();
                for (int i = 0; i < 10; i++) {
                    map.put("key-" + i, i * 1000);
                }
                return map;
            }
            case "doubles1000": {
                double[] d = new double[1000];
                for (int i = 0; i < d.length; i++) {
                    d[i] = i * 0.5;
                }
                return d;
            }
            default:
                throw new IllegalArgumentException("unknown payload " + name);
        }
    }

    /** One round trip (encode, then decode) with some library; not thread-safe. */
    interface RoundTrip {
        Object roundTrip(Object value);
    }

    static RoundTrip contender(String name) {
        switch (name) {
            case "kryo":
                return new KryoRaw();
            case "fory":
                return new ForyRaw(true);
            case "fory-nocodegen":
                return new ForyRaw(false);
            case "fastCodec":
                return new CodecRoundTrip(Codecs.fast(TaskMessage.class, TaskPojo.class));
            case "jdkCodec":
                return new CodecRoundTrip(Codecs.jdk());
            default:
                throw new IllegalArgumentException("unknown contender " + name);
        }
    }

    /** Kryo 5, registration required, references off, output and input reused. */
    static final class KryoRaw implements RoundTrip {
        private final Kryo kryo = new Kryo();
        private final Output output = new Output(1024, -1);
        private final Input input = new Input();

        KryoRaw() {
            kryo.setRegistrationRequired(true);
            kryo.setReferences(false);
            kryo.register(TaskMessage.class);
            kryo.register(TaskPojo.class);
            kryo.register(ArrayList.class);
            kryo.register(HashMap.class);
            kryo.register(double[].class);
        }

        @Override
        public Object roundTrip(Object value) {
            output.reset();
            kryo.writeClassAndObject(output, value);
            input.setBuffer(output.getBuffer(), 0, output.position());
            return kryo.readClassAndObject(input);
        }
    }

    /** Apache Fory, Java mode, registration required, references off, one reused buffer. */
    static final class ForyRaw implements RoundTrip {
        private final Fory fory;
        private final MemoryBuffer buffer = MemoryBuffer.newHeapBuffer(1024);

        ForyRaw(boolean codegen) {
            fory = Fory.builder().withLanguage(Language.JAVA).requireClassRegistration(true).withRefTracking(false)
                    .withCodegen(codegen).build();
            fory.register(TaskMessage.class);
            fory.register(TaskPojo.class);
        }

        @Override
        public Object roundTrip(Object value) {
            buffer.writerIndex(0);
            buffer.readerIndex(0);
            fory.serialize(buffer, value);
            return fory.deserialize(buffer);
        }
    }

    /** A multiproc4j codec through its allocation-free form: a reused {@link CodecBuffer}. */
    static final class CodecRoundTrip implements RoundTrip {
        private final Codec codec;
        private final CodecBuffer out = new CodecBuffer(1024);

        CodecRoundTrip(Codec codec) {
            this.codec = codec;
        }

        @Override
        public Object roundTrip(Object value) {
            out.clear();
            codec.encode(value, out);
            return codec.decode(out.array(), 0, out.length());
        }
    }
}
