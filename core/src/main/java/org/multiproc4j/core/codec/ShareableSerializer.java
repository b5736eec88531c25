package org.multiproc4j.core.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

import org.multiproc4j.core.Handle;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.Shareable;

/**
 * Writes a {@link Shareable} as its {@link Handle} and reads it back attached. The handle itself is written
 * with JDK serialization (under the default filter): handles are small, rare in messages, and
 * {@link java.io.Serializable} by contract, so their classes need no registration.
 */
final class ShareableSerializer extends Serializer<Object> {

    /** The class every {@link Shareable} is registered as; never instantiated. */
    static final class Marker {
        private Marker() {
        }
    }

    /** Built on first use: JDK serialization and its filter machinery stay off the fast codec's start-up. */
    private static final class Handles {
        static final JdkCodec CODEC = JdkCodec.forHandles();
    }

    ShareableSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, Object object) {
        Shareable shareable = (Shareable) object;
        Handle handle = shareable.handle();
        if (handle == null) {
            throw new CodecKryoException("cannot encode " + object.getClass().getName()
                    + ": it is Shareable but its handle() returned null");
        }
        byte[] bytes;
        try {
            bytes = Handles.CODEC.encode(handle);
        } catch (SerializationException e) {
            throw new CodecKryoException("cannot encode the handle of a " + object.getClass().getName() + ": "
                    + e.getMessage(), e);
        }
        output.writeVarInt(bytes.length, true);
        output.writeBytes(bytes);
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<? extends Object> type) {
        int length = input.readVarInt(true);
        byte[] bytes = input.readBytes(length);
        Object decoded;
        try {
            decoded = Handles.CODEC.decode(bytes);
        } catch (SerializationException e) {
            throw new CodecKryoException("cannot decode the handle of a shared object: " + e.getMessage(), e);
        }
        if (!(decoded instanceof Handle)) {
            throw new CodecKryoException("cannot decode: a shared object's handle decoded to a "
                    + (decoded == null ? "null" : decoded.getClass().getName()) + ", which is not a Handle");
        }
        try {
            return ((Handle) decoded).attach();
        } catch (Exception e) {
            throw new CodecKryoException("cannot attach " + decoded + ": " + e, e);
        }
    }
}
