package org.multiproc4j.core.codec;

import com.esotericsoftware.kryo.KryoException;

/**
 * A refusal or a corruption found by multiproc4j's own checks inside Kryo (an unregistered class, a bogus
 * length, a handle that would not attach). It extends {@link KryoException} so that Kryo's serializers add
 * their "serialization trace" to it and rethrow it unchanged; {@link KryoCodec} turns it into a
 * {@link org.multiproc4j.core.SerializationException} with {@link #detail()} as the message.
 */
final class CodecKryoException extends KryoException {
    private static final long serialVersionUID = 1L;

    private final String detail;

    CodecKryoException(String detail) {
        super(detail);
        this.detail = detail;
    }

    CodecKryoException(String detail, Throwable cause) {
        super(detail, cause);
        this.detail = detail;
    }

    /** The message without Kryo's trace. */
    String detail() {
        return detail;
    }
}
