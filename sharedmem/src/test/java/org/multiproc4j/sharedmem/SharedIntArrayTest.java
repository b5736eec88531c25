package org.multiproc4j.sharedmem;

import java.nio.ByteBuffer;

class SharedIntArrayTest extends ArrayContract {

    static Arr adapt(SharedIntArray x) {
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
                x.set(i, (int) v);
            }

            long getPlain(long i) {
                return x.getPlain(i);
            }

            void setPlain(long i, long v) {
                x.setPlain(i, (int) v);
            }

            long getAndSet(long i, long v) {
                return x.getAndSet(i, (int) v);
            }

            boolean compareAndSet(long i, long e, long v) {
                return x.compareAndSet(i, (int) e, (int) v);
            }

            long getAndAdd(long i, long d) {
                return x.getAndAdd(i, (int) d);
            }

            long[] copyOut(long from, int count) {
                int[] a = new int[count];
                x.copyTo(from, a, 0, count);
                long[] r = new long[count];
                for (int i = 0; i < count; i++) {
                    r[i] = a[i];
                }
                return r;
            }

            void copyIn(long[] values, long to) {
                int[] a = new int[values.length];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (int) values[i];
                }
                x.copyFrom(a, 0, to, a.length);
            }

            void copyOutOfBounds(long from, int arrayLength, int dstOffset, int count) {
                x.copyTo(from, new int[arrayLength], dstOffset, count);
            }

            long[] toArray() {
                int[] a = x.toArray();
                long[] r = new long[a.length];
                for (int i = 0; i < a.length; i++) {
                    r[i] = a[i];
                }
                return r;
            }

            void fill(long v) {
                x.fill((int) v);
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
        return adapt(SharedIntArray.create(length));
    }

    @Override
    Arr createWithLock(long length) {
        return adapt(SharedIntArray.createWithLock(length));
    }

    @Override
    Arr attach(String name) {
        return adapt(SharedIntArray.attach(name));
    }

    @Override
    Arr wrap(Object attached) {
        return adapt((SharedIntArray) attached);
    }

    @Override
    int elementSize() {
        return 4;
    }

    @Override
    String typeName() {
        return "SharedIntArray";
    }

    @Override
    void put(ByteBuffer b, long v) {
        b.putInt((int) v);
    }

    @Override
    long take(ByteBuffer b) {
        return b.getInt();
    }

    @Override
    void copyOut(Arr a, long from, ByteBuffer dst) {
        ((SharedIntArray) a.object()).copyTo(from, dst);
    }

    @Override
    void copyIn(Arr a, ByteBuffer src, long to) {
        ((SharedIntArray) a.object()).copyFrom(src, to);
    }

    @Override
    String expectedToString() {
        return "[1, 1, 1]";
    }
}
