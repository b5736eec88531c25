/**
 * The backend SPI of {@code mpi-bridge}: what a backend implements so that {@link org.multiproc4j.mpi.Mpi} and
 * {@link org.multiproc4j.mpi.Comm} run on it. A backend registers a {@link
 * org.multiproc4j.mpi.spi.MpiBackendProvider} with {@link java.util.ServiceLoader}; its session hands out {@link
 * org.multiproc4j.mpi.spi.CommBackend}s, which implement each operation once, on {@link org.multiproc4j.mpi.Buf}s,
 * after the bridge has checked the arguments and built the object forms on the byte methods.
 *
 * <pre>{@code
 * List<String> names = new ArrayList<>();
 * ServiceLoader.load(MpiBackendProvider.class).forEach(p -> names.add(p.name()));
 * System.out.println(names);    // [local] (and openmpi where mpi-openmpi is on the classpath)
 * }</pre>
 */
package org.multiproc4j.mpi.spi;
