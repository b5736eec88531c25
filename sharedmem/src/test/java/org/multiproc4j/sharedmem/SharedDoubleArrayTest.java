package org.multiproc4j.sharedmem;

import java.nio.ByteBuffer;

class SharedDoubleArrayTest extends ArrayContract {

    static Arr adapt(SharedDoubleArray x) {
        return new Arr() {
            SharedObject object() {
                return x;
            }

            long length() {
                return x.length();
            }

            long get(long i) {
                return (long) x.get(i);
            }

            void set(long i, long v) {
                x.set(i, v);
            }

            long getPlain(long i) {
                return (long) x.getPlain(i);
            }

            void setPlain(long i, long v) {
                x.setPlain(i, v);
            }

            long getAndSet(long i, long v) {
                return (long) x.getAndSet(i, v);
            }

            boolean compareAndSet(long i, long e, long v) {
                return x.compareAndSet(i, e, v);
            }

            long getAndAdd(long i, long d) {
                return (long) x.getAndAdd(i, d);
            }

            long[] copyOut(long from, int count) {
                double[] a = new double[count];
                x.copyTo(from, a, 0, count);
                long[] r = new long[count];
                for (int i = 0; i < count; i++) {
                    r[i] = (long) a[i];
                }
                return r;
            }

            void copyIn(long[] values, long to) {
                double[] a = new double[values.length];
                for (int i = 0; i < a.length; i++) {
                    a[i] = values[i];
                }
                x.copyFrom(a, 0, to, a.length);
            }

            void copyOutOfBounds(long from, int arrayLength, int dstOffset, int count) {
                x.copyTo(from, new double[arrayLength], dstOffset, count);
            }

            long[] toArray() {
                double[] a = x.toArray();
                long[] r = new long[a.length];
                for (int i = 0; i < a.length; i++) {
                    r[i] = (long) a[i];
                }
                return r;
            }

            void fill(long v) {
                x.fill(v);
            }

            long streamSum() {
                return (long) x.stream().sum();
            }

            long forEachSum() {
                long[] s = new long[1];
                x.forEach(e -> s[0] += (long) e);
                return s[0];
            }
        };
    }

    @Override
    Arr create(long length) {
        return adapt(SharedDoubleArray.create(length));
    }

    @Override
    Arr createWithLock(long length) {
        return adapt(SharedDoubleArray.createWithLock(length));
    }

    @Override
    Arr attach(String name) {
        return adapt(SharedDoubleArray.attach(name));
    }

    @Override
    Arr wrap(Object attached) {
        return adapt((SharedDoubleArray) attached);
    }

    @Override
    int elementSize() {
        return 8;
    }

    @Override
    String typeName() {
        return "SharedDoubleArray";
    }

    @Override
    void put(ByteBuffer b, long v) {
        b.putDouble(v);
    }

    @Override
    long take(ByteBuffer b) {
        return (long) b.getDouble();
    }

    @Override
    void copyOut(Arr a, long from, ByteBuffer dst) {
        ((SharedDoubleArray) a.object()).copyTo(from, dst);
    }

    @Override
    void copyIn(Arr a, ByteBuffer src, long to) {
        ((SharedDoubleArray) a.object()).copyFrom(src, to);
    }

    @Override
    String expectedToString() {
        return "[1.0, 1.0, 1.0]";
    }
}
