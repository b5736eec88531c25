package org.multiproc4j.sharedmem;

import java.nio.ByteBuffer;

class SharedLongArrayTest extends ArrayContract {

    static Arr adapt(SharedLongArray x) {
        return new Arr() {
            SharedObject object() {
                return x;
            }

            long length() {
                return x.length();
            }

            long get(long i) {
                return x.get(i);
            }

            void set(long i, long v) {
                x.set(i, v);
            }

            long getPlain(long i) {
                return x.getPlain(i);
            }

            void setPlain(long i, long v) {
                x.setPlain(i, v);
            }

            long getAndSet(long i, long v) {
                return x.getAndSet(i, v);
            }

            boolean compareAndSet(long i, long e, long v) {
                return x.compareAndSet(i, e, v);
            }

            long getAndAdd(long i, long d) {
                return x.getAndAdd(i, d);
            }

            long[] copyOut(long from, int count) {
                long[] a = new long[count];
                x.copyTo(from, a, 0, count);
                long[] r = new long[count];
                for (int i = 0; i < count; i++) {
                    r[i] = a[i];
                }
                return r;
            }

            void copyIn(long[] values, long to) {
                long[] a = new long[values.length];
                for (int i = 0; i < a.length; i++) {
                    a[i] = values[i];
                }
                x.copyFrom(a, 0, to, a.length);
            }

            void copyOutOfBounds(long from, int arrayLength, int dstOffset, int count) {
                x.copyTo(from, new long[arrayLength], dstOffset, count);
            }

            long[] toArray() {
                long[] a = x.toArray();
                long[] r = new long[a.length];
                for (int i = 0; i < a.length; i++) {
                    r[i] = a[i];
                }
                return r;
            }

            void fill(long v) {
                x.fill(v);
            }

            long streamSum() {
                return x.stream().sum();
            }

            long forEachSum() {
                long[] s = new long[1];
                x.forEach(e -> s[0] += e);
                return s[0];
            }
        };
    }

    @Override
    Arr create(long length) {
        return adapt(SharedLongArray.create(length));
    }

    @Override
    Arr createWithLock(long length) {
        return adapt(SharedLongArray.createWithLock(length));
    }

    @Override
    Arr attach(String name) {
        return adapt(SharedLongArray.attach(name));
    }

    @Override
    Arr wrap(Object attached) {
        return adapt((SharedLongArray) attached);
    }

    @Override
    int elementSize() {
        return 8;
    }

    @Override
    String typeName() {
        return "SharedLongArray";
    }

    @Override
    void put(ByteBuffer b, long v) {
        b.putLong(v);
    }

    @Override
    long take(ByteBuffer b) {
        return b.getLong();
    }

    @Override
    void copyOut(Arr a, long from, ByteBuffer dst) {
        ((SharedLongArray) a.object()).copyTo(from, dst);
    }

    @Override
    void copyIn(Arr a, ByteBuffer src, long to) {
        ((SharedLongArray) a.object()).copyFrom(src, to);
    }

    @Override
    String expectedToString() {
        return "[1, 1, 1]";
    }
}
