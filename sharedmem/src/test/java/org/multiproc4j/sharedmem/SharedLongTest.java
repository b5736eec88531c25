package org.multiproc4j.sharedmem;

class SharedLongTest extends NumericValueContract {

    static Value adapt(SharedLong v) {
        return new Value() {
            public long get() {
                return v.get();
            }

            public void set(long x) {
                v.set(x);
            }

            public long getAndAdd(long d) {
                return v.getAndAdd(d);
            }

            public long addAndGet(long d) {
                return v.addAndGet(d);
            }

            public long getAndSet(long x) {
                return v.getAndSet(x);
            }

            public boolean compareAndSet(long e, long x) {
                return v.compareAndSet(e, x);
            }

            public long updateAndGet(long times) {
                return v.updateAndGet(p -> p * times);
            }

            public long getAndAccumulate(long x) {
                return v.getAndAccumulate(x, Long::sum);
            }

            public String name() {
                return v.name();
            }

            public SharedObject object() {
                return v;
            }

            public void close() {
                v.close();
            }
        };
    }

    @Override
    Value create(long initial) {
        return adapt(SharedLong.create(initial));
    }

    @Override
    Value createWithLock(long initial) {
        return adapt(SharedLong.createWithLock(initial));
    }

    @Override
    Value attach(String name) {
        return adapt(SharedLong.attach(name));
    }

    @Override
    Value wrap(Object attached) {
        return adapt((SharedLong) attached);
    }

    @Override
    String typeName() {
        return "SharedLong";
    }

    @Override
    String otherTypeName() {
        return "double value";
    }

    @Override
    SharedObject createOther() {
        return SharedDouble.create(1);
    }

    @org.junit.jupiter.api.Test
    void shouldHoldValuesBeyondInt() {
        try (SharedLong v = SharedLong.create(Long.MAX_VALUE - 1)) {
            org.junit.jupiter.api.Assertions.assertEquals(Long.MAX_VALUE, v.incrementAndGet());
            org.junit.jupiter.api.Assertions.assertEquals(Long.MIN_VALUE, v.incrementAndGet());
        }
    }
}
