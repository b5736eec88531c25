/**
 * The machinery behind {@code org.multiproc4j.sharedmem}: how segments are mapped and named, the layout of
 * every kind of segment (the {@code *Descriptor} classes, each with a diagram), the identity of processes
 * for dead-owner checks, waiting, and the sweep of segments whose creator died. Not an API: anything here
 * may change, except that the header fields a sweep reads keep their offsets across layout versions.
 *
 * <pre>{@code
 * Segment s = Segment.create(null, SegmentDescriptor.KIND_RAW, 1, 4096, null);
 * long address = s.address(0);          // first data byte
 * s.close();                            // unmaps; the creator also unlinks
 * }</pre>
 */
package org.multiproc4j.sharedmem.internal;
