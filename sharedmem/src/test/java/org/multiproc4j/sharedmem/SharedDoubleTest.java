package org.multiproc4j.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SharedDoubleTest extends NumericValueContract {

    static Value adapt(SharedDouble v) {
        return new Value() {
            public long get() {
                return (long) v.get();
            }

            public void set(long x) {
                v.set(x);
            }

            public long getAndAdd(long d) {
                return (long) v.getAndAdd(d);
            }

            public long addAndGet(long d) {
                return (long) v.addAndGet(d);
            }

            public long getAndSet(long x) {
                return (long) v.getAndSet(x);
            }

            public boolean compareAndSet(long e, long x) {
                return v.compareAndSet(e, x);
            }

            public long updateAndGet(long times) {
                return (long) v.updateAndGet(p -> p * times);
            }

            public long getAndAccumulate(long x) {
                return (long) v.getAndAccumulate(x, Double::sum);
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
        return adapt(SharedDouble.create(initial));
    }

    @Override
    Value createWithLock(long initial) {
        return adapt(SharedDouble.createWithLock(initial));
    }

    @Override
    Value attach(String name) {
        return adapt(SharedDouble.attach(name));
    }

    @Override
    Value wrap(Object attached) {
        return adapt((SharedDouble) attached);
    }

    @Override
    String typeName() {
        return "SharedDouble";
    }

    @Override
    String otherTypeName() {
        return "int value";
    }

    @Override
    SharedObject createOther() {
        return SharedInt.create(1);
    }

    @Test
    void shouldCompareBitPatterns() {
        try (SharedDouble v = SharedDouble.create(Double.NaN)) {
            assertTrue(v.compareAndSet(Double.NaN, 0.0));
            assertFalse(v.compareAndSet(-0.0, 1.0), "-0.0 is not 0.0 bit for bit");
            assertEquals(0.5, v.addAndGet(0.5));
            assertEquals("0.5", v.toString());
        }
    }
}
