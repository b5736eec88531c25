package org.multiproc4j.sharedmem;

import org.agrona.UnsafeApi;
import org.multiproc4j.sharedmem.internal.ElementType;
import org.multiproc4j.sharedmem.internal.Segment;
import org.multiproc4j.sharedmem.internal.SegmentDescriptor;
import org.multiproc4j.sharedmem.internal.ValueDescriptor;

/**
 * What the shared values ({@code SharedInt}, {@code SharedLong}, {@code SharedDouble}, {@code SharedBoolean})
 * have in common: one element in a segment of its own ({@link ValueDescriptor}), reached through
 * {@link #at()}.
 */
abstract class SharedValue extends SharedObject {
    /** The value's address; 0 once closed. */
    private long address;

    SharedValue(Parts parts) {
        super(parts);
        this.address = segment.address(ValueDescriptor.VALUE_OFFSET);
    }

    /**
     * Creates a value's segment, and its lock if asked.
     *
     * @param type     the element type, recorded in the header.
     * @param withLock whether to create a lock.
     * @param value    writes the initial value (at {@link ValueDescriptor#VALUE_OFFSET}).
     * @return the parts.
     */
    static Parts createValue(ElementType type, boolean withLock, Segment.Initializer value) {
        return create(SegmentDescriptor.KIND_VALUE, ValueDescriptor.VERSION, ValueDescriptor.LENGTH, withLock,
                (s, lockName) -> {
                    UnsafeApi.putInt(null, s.headerAddress(ValueDescriptor.TYPE_OFFSET), type.code());
                    s.putHeaderString(ValueDescriptor.LOCK_NAME_LENGTH_OFFSET, ValueDescriptor.LOCK_NAME_OFFSET,
                            ValueDescriptor.MAX_LOCK_NAME, lockName);
                    value.init(s);
                });
    }

    /**
     * Attaches a value's segment, checking its element type, and its lock.
     *
     * @param name the segment's name.
     * @param type the element type the caller reads.
     * @param what what the caller attaches it as, for messages ("a SharedInt").
     * @return the parts.
     */
    static Parts attachValue(String name, ElementType type, String what) {
        return attach(name, SegmentDescriptor.KIND_VALUE, ValueDescriptor.VERSION, what, s -> {
            checkType(s, ValueDescriptor.TYPE_OFFSET, type, what, "value");
            return s.headerString(ValueDescriptor.LOCK_NAME_LENGTH_OFFSET, ValueDescriptor.LOCK_NAME_OFFSET,
                    ValueDescriptor.MAX_LOCK_NAME);
        });
    }

    /**
     * Returns the value's address: every accessor reaches the memory through this method.
     *
     * @return the address.
     * @throws IllegalStateException if closed.
     */
    final long at() {
        long a = address;
        if (a == 0) {
            throw closedException();
        }
        return a;
    }

    @Override
    final void closed() {
        address = 0;
    }

    /** Returns the value as {@code String.valueOf} writes it (a volatile read); called only while open. */
    abstract String valueString();

    /**
     * Returns the current value as a string, as the {@code java.util.concurrent.atomic} classes do.
     *
     * @return the value as {@link String#valueOf} writes it, or a note that the value is closed.
     */
    @Override
    public String toString() {
        return address == 0 ? closedString() : valueString();
    }
}
