package org.multiproc4j.core;

import java.util.List;

import org.multiproc4j.core.spi.JvmOptionsProvider;

/** A provider registered in the tests' META-INF/services: every child sees the property it adds. */
public final class TestJvmOptions implements JvmOptionsProvider {
    static final String PROPERTY = "multiproc4j.test.provided";

    @Override
    public List<String> jvmOptions(Runtime.Version javaVersion) {
        return List.of("-D" + PROPERTY + "=java" + javaVersion.feature());
    }
}
