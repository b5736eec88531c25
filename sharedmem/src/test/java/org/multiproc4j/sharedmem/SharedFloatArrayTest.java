package org.multiproc4j.sharedmem;

import java.nio.ByteBuffer;

class SharedFloatArrayTest extends ArrayContract {

    static Arr adapt(SharedFloatArray x) {
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
                x.set(i, (float) v);
            }

            long getPlain(long i) {
                return (long) x.getPlain(i);
            }

            void setPlain(long i, long v) {
                x.setPlain(i, (float) v);
            }

            long getAndSet(long i, long v) {
                return (long) x.getAndSet(i, (float) v);
            }

            boolean compareAndSet(long i, long e, long v) {
                return x.compareAndSet(i, (float) e, (float) v);
            }

            long getAndAdd(long i, long d) {
                return (long) x.getAndAdd(i, (float) d);
            }

            long[] copyOut(long from, int count) {
                float[] a = new float[count];
                x.copyTo(from, a, 0, count);
                long[] r = new long[count];
                for (int i = 0; i < count; i++) {
                    r[i] = (long) a[i];
                }
                return r;
            }

            void copyIn(long[] values, long to) {
                float[] a = new float[values.length];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) values[i];
                }
                x.copyFrom(a, 0, to, a.length);
            }

            void copyOutOfBounds(long from, int arrayLength, int dstOffset, int count) {
                x.copyTo(from, new float[arrayLength], dstOffset, count);
            }

            long[] toArray() {
                float[] a = x.toArray();
                long[] r = new long[a.length];
                for (int i = 0; i < a.length; i++) {
                    r[i] = (long) a[i];
                }
                return r;
            }

            void fill(long v) {
                x.fill((float) v);
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
        return adapt(SharedFloatArray.create(length));
    }

    @Override
    Arr createWithLock(long length) {
        return adapt(SharedFloatArray.createWithLock(length));
    }

    @Override
    Arr attach(String name) {
        return adapt(SharedFloatArray.attach(name));
    }

    @Override
    Arr wrap(Object attached) {
        return adapt((SharedFloatArray) attached);
    }

    @Override
    int elementSize() {
        return 4;
    }

    @Override
    String typeName() {
        return "SharedFloatArray";
    }

    @Override
    void put(ByteBuffer b, long v) {
        b.putFloat(v);
    }

    @Override
    long take(ByteBuffer b) {
        return (long) b.getFloat();
    }

    @Override
    void copyOut(Arr a, long from, ByteBuffer dst) {
        ((SharedFloatArray) a.object()).copyTo(from, dst);
    }

    @Override
    void copyIn(Arr a, ByteBuffer src, long to) {
        ((SharedFloatArray) a.object()).copyFrom(src, to);
    }

    @Override
    String expectedToString() {
        return "[1.0, 1.0, 1.0]";
    }
}
