package org.multiproc4j.sharedmem;

import java.nio.ByteBuffer;

class SharedCharArrayTest extends ArrayContract {

    static Arr adapt(SharedCharArray x) {
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
                x.set(i, (char) v);
            }

            long getPlain(long i) {
                return x.getPlain(i);
            }

            void setPlain(long i, long v) {
                x.setPlain(i, (char) v);
            }

            long getAndSet(long i, long v) {
                return x.getAndSet(i, (char) v);
            }

            boolean compareAndSet(long i, long e, long v) {
                return x.compareAndSet(i, (char) e, (char) v);
            }

            long getAndAdd(long i, long d) {
                while (true) {
                    char p = x.get(i);
                    if (x.compareAndSet(i, p, (char) (p + d))) {
                        return p;
                    }
                }
            }

            long[] copyOut(long from, int count) {
                char[] a = new char[count];
                x.copyTo(from, a, 0, count);
                long[] r = new long[count];
                for (int i = 0; i < count; i++) {
                    r[i] = a[i];
                }
                return r;
            }

            void copyIn(long[] values, long to) {
                char[] a = new char[values.length];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (char) values[i];
                }
                x.copyFrom(a, 0, to, a.length);
            }

            void copyOutOfBounds(long from, int arrayLength, int dstOffset, int count) {
                x.copyTo(from, new char[arrayLength], dstOffset, count);
            }

            long[] toArray() {
                char[] a = x.toArray();
                long[] r = new long[a.length];
                for (int i = 0; i < a.length; i++) {
                    r[i] = a[i];
                }
                return r;
            }

            void fill(long v) {
                x.fill((char) v);
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
        return adapt(SharedCharArray.create(length));
    }

    @Override
    Arr createWithLock(long length) {
        return adapt(SharedCharArray.createWithLock(length));
    }

    @Override
    Arr attach(String name) {
        return adapt(SharedCharArray.attach(name));
    }

    @Override
    Arr wrap(Object attached) {
        return adapt((SharedCharArray) attached);
    }

    @Override
    int elementSize() {
        return 2;
    }

    @Override
    String typeName() {
        return "SharedCharArray";
    }

    @Override
    void put(ByteBuffer b, long v) {
        b.putChar((char) v);
    }

    @Override
    long take(ByteBuffer b) {
        return b.getChar();
    }

    @Override
    void copyOut(Arr a, long from, ByteBuffer dst) {
        ((SharedCharArray) a.object()).copyTo(from, dst);
    }

    @Override
    void copyIn(Arr a, ByteBuffer src, long to) {
        ((SharedCharArray) a.object()).copyFrom(src, to);
    }

    @Override
    String expectedToString() {
        return "[\u0001, \u0001, \u0001]";
    }
}
