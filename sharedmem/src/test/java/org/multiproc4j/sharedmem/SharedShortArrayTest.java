package org.multiproc4j.sharedmem;

import java.nio.ByteBuffer;

class SharedShortArrayTest extends ArrayContract {

    static Arr adapt(SharedShortArray x) {
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
                x.set(i, (short) v);
            }

            long getPlain(long i) {
                return x.getPlain(i);
            }

            void setPlain(long i, long v) {
                x.setPlain(i, (short) v);
            }

            long getAndSet(long i, long v) {
                return x.getAndSet(i, (short) v);
            }

            boolean compareAndSet(long i, long e, long v) {
                return x.compareAndSet(i, (short) e, (short) v);
            }

            long getAndAdd(long i, long d) {
                return x.getAndAdd(i, (short) d);
            }

            long[] copyOut(long from, int count) {
                short[] a = new short[count];
                x.copyTo(from, a, 0, count);
                long[] r = new long[count];
                for (int i = 0; i < count; i++) {
                    r[i] = a[i];
                }
                return r;
            }

            void copyIn(long[] values, long to) {
                short[] a = new short[values.length];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (short) values[i];
                }
                x.copyFrom(a, 0, to, a.length);
            }

            void copyOutOfBounds(long from, int arrayLength, int dstOffset, int count) {
                x.copyTo(from, new short[arrayLength], dstOffset, count);
            }

            long[] toArray() {
                short[] a = x.toArray();
                long[] r = new long[a.length];
                for (int i = 0; i < a.length; i++) {
                    r[i] = a[i];
                }
                return r;
            }

            void fill(long v) {
                x.fill((short) v);
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
        return adapt(SharedShortArray.create(length));
    }

    @Override
    Arr createWithLock(long length) {
        return adapt(SharedShortArray.createWithLock(length));
    }

    @Override
    Arr attach(String name) {
        return adapt(SharedShortArray.attach(name));
    }

    @Override
    Arr wrap(Object attached) {
        return adapt((SharedShortArray) attached);
    }

    @Override
    int elementSize() {
        return 2;
    }

    @Override
    String typeName() {
        return "SharedShortArray";
    }

    @Override
    void put(ByteBuffer b, long v) {
        b.putShort((short) v);
    }

    @Override
    long take(ByteBuffer b) {
        return b.getShort();
    }

    @Override
    void copyOut(Arr a, long from, ByteBuffer dst) {
        ((SharedShortArray) a.object()).copyTo(from, dst);
    }

    @Override
    void copyIn(Arr a, ByteBuffer src, long to) {
        ((SharedShortArray) a.object()).copyFrom(src, to);
    }

    @Override
    String expectedToString() {
        return "[1, 1, 1]";
    }
}
