package org.multiproc4j.sharedmem;

import java.nio.ByteBuffer;

class SharedByteArrayTest extends ArrayContract {

    static Arr adapt(SharedByteArray x) {
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
                x.set(i, (byte) v);
            }

            long getPlain(long i) {
                return x.getPlain(i);
            }

            void setPlain(long i, long v) {
                x.setPlain(i, (byte) v);
            }

            long getAndSet(long i, long v) {
                return x.getAndSet(i, (byte) v);
            }

            boolean compareAndSet(long i, long e, long v) {
                return x.compareAndSet(i, (byte) e, (byte) v);
            }

            long getAndAdd(long i, long d) {
                return x.getAndAdd(i, (byte) d);
            }

            long[] copyOut(long from, int count) {
                byte[] a = new byte[count];
                x.copyTo(from, a, 0, count);
                long[] r = new long[count];
                for (int i = 0; i < count; i++) {
                    r[i] = a[i];
                }
                return r;
            }

            void copyIn(long[] values, long to) {
                byte[] a = new byte[values.length];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (byte) values[i];
                }
                x.copyFrom(a, 0, to, a.length);
            }

            void copyOutOfBounds(long from, int arrayLength, int dstOffset, int count) {
                x.copyTo(from, new byte[arrayLength], dstOffset, count);
            }

            long[] toArray() {
                byte[] a = x.toArray();
                long[] r = new long[a.length];
                for (int i = 0; i < a.length; i++) {
                    r[i] = a[i];
                }
                return r;
            }

            void fill(long v) {
                x.fill((byte) v);
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
        return adapt(SharedByteArray.create(length));
    }

    @Override
    Arr createWithLock(long length) {
        return adapt(SharedByteArray.createWithLock(length));
    }

    @Override
    Arr attach(String name) {
        return adapt(SharedByteArray.attach(name));
    }

    @Override
    Arr wrap(Object attached) {
        return adapt((SharedByteArray) attached);
    }

    @Override
    int elementSize() {
        return 1;
    }

    @Override
    String typeName() {
        return "SharedByteArray";
    }

    @Override
    void put(ByteBuffer b, long v) {
        b.put((byte) v);
    }

    @Override
    long take(ByteBuffer b) {
        return b.get();
    }

    @Override
    void copyOut(Arr a, long from, ByteBuffer dst) {
        ((SharedByteArray) a.object()).copyTo(from, dst);
    }

    @Override
    void copyIn(Arr a, ByteBuffer src, long to) {
        ((SharedByteArray) a.object()).copyFrom(src, to);
    }

    @Override
    String expectedToString() {
        return "[1, 1, 1]";
    }
}
