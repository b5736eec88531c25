package org.multiproc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;
import org.multiproc4j.core.SerializableCallable;
import org.multiproc4j.core.SerializableRunnable;
import org.multiproc4j.core.SerializationException;

/** What a task that cannot be serialized is told, and what still travels. */
class TaskCodecTest {
    private int side = 3;

    private int area() {
        return side * side;
    }

    @Test
    void shouldSayThatALambdaUsingAFieldCapturedThisAndHowToAvoidIt() {
        SerializableCallable<Integer> task = () -> side * side;
        SerializationException e = assertThrows(SerializationException.class, () -> TaskWire.encodeTask(task));
        String name = TaskCodecTest.class.getName();
        assertEquals("task cannot be sent to another JVM: the lambda declared in " + name + " captured 'this' (an instance of "
                + name + ", which is not serializable) because it uses a field or an instance method of " + name
                + "; copy what it needs into a local variable first (var x = this.x;) and use that in the lambda, or"
                + " make the method static", e.getMessage());
    }

    @Test
    void shouldSayItForAnInstanceMethodAndAMethodReferenceToThisToo() {
        SerializableCallable<Integer> lambda = () -> area();
        SerializableCallable<Integer> reference = this::area;
        for (SerializableCallable<Integer> task : java.util.List.of(lambda, reference)) {
            SerializationException e = assertThrows(SerializationException.class, () -> TaskWire.encodeTask(task));
            assertTrue(e.getMessage().contains("captured 'this' (an instance of " + TaskCodecTest.class.getName()),
                    e.getMessage());
        }
    }

    @Test
    void shouldNotBlameThisForAnotherCapturedValue() {
        Object other = new Object();
        SerializableRunnable task = () -> System.out.println(other);
        SerializationException e = assertThrows(SerializationException.class, () -> TaskWire.encodeTask(task));
        assertEquals("task cannot be sent to another JVM: java.lang.Object is not serializable (it is the task itself,"
                + " captured by it, or reachable from it)", e.getMessage());
    }

    @Test
    void shouldStillSendALambdaThatCopiedTheFieldFirst() throws Exception {
        int s = side;
        SerializableCallable<Integer> task = () -> s * s;
        Object decoded = TaskWire.decodeTask(TaskWire.encodeTask(task), getClass().getClassLoader(), new ArrayList<>());
        assertEquals(9, ((Callable<?>) decoded).call());
    }
}
