package org.multiproc4j.sharedmem;

class SharedIntTest extends NumericValueContract {

    static Value adapt(SharedInt v) {
        return new Value() {
            public long get() {
                return v.get();
            }

            public void set(long x) {
                v.set((int) x);
            }

            public long getAndAdd(long d) {
                return v.getAndAdd((int) d);
            }

            public long addAndGet(long d) {
                return v.addAndGet((int) d);
            }

            public long getAndSet(long x) {
                return v.getAndSet((int) x);
            }

            public boolean compareAndSet(long e, long x) {
                return v.compareAndSet((int) e, (int) x);
            }

            public long updateAndGet(long times) {
                return v.updateAndGet(p -> p * (int) times);
            }

            public long getAndAccumulate(long x) {
                return v.getAndAccumulate((int) x, Integer::sum);
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
        return adapt(SharedInt.create((int) initial));
    }

    @Override
    Value createWithLock(long initial) {
        return adapt(SharedInt.createWithLock((int) initial));
    }

    @Override
    Value attach(String name) {
        return adapt(SharedInt.attach(name));
    }

    @Override
    Value wrap(Object attached) {
        return adapt((SharedInt) attached);
    }

    @Override
    String typeName() {
        return "SharedInt";
    }

    @Override
    String otherTypeName() {
        return "long value";
    }

    @Override
    SharedObject createOther() {
        return SharedLong.create(1);
    }
}
