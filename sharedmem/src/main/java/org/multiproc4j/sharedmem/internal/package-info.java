/**
 * The machinery behind {@code org.multiproc4j.sharedmem}: how segments are mapped and named, the layout of
 * every kind of segment (the {@code *Descriptor} classes, each with a diagram), the identity of processes
 * for dead-owner checks, waiting, the users table that decides when a segment's name goes, and the sweep of
 * segments that only dead processes used. Not an API: anything here may change, except that the header
 * fields a sweep reads keep their offsets across layout versions.
 *
 * <pre>{@code
 * Segment s = Segment.create(null, SegmentDescriptor.KIND_RAW, 1, 4096, null);
 * long address = s.address(0);          // first data byte
 * s.close();                            // unmaps; the last user out also unlinks
 * }</pre>
 */
package org.multiproc4j.sharedmem.internal;
