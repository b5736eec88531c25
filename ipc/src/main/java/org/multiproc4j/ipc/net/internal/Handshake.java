package org.multiproc4j.ipc.net.internal;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.multiproc4j.ipc.net.AuthenticationException;

/**
 * The mutual authentication of a {@code Listener} and a {@code Client} holding a shared authkey: each side
 * proves it holds the key by an HMAC-SHA256 of a fresh random challenge from the other side, before either
 * side reads anything else from the other (in the spirit of Python's {@code deliver_challenge} and
 * {@code answer_challenge}, with a protocol of our own).
 *
 * <pre>
 *  listener → client   'H' "mp4j-auth-1" nonceL[32]
 *  client → listener   'H' HMAC(key, "C" nonceL nonceC)[32] nonceC[32]
 *  listener → client   'H' "OK" HMAC(key, "L" nonceC nonceL)[32]      or 'H' "NO", then close
 *  client → listener   'H' "OK"                                        or 'H' "NO", then close
 * </pre>
 *
 * <p>The listener answers the client's challenge only after the client has proved itself, so a client
 * without the key learns nothing from the listener. The labels {@code "C"} and {@code "L"} keep one side's
 * answer from being replayed as the other's. The HMACs are compared in constant time. Every handshake frame
 * is at most {@link #MAX_FRAME} bytes, so an unauthenticated peer cannot make either side allocate more.
 * Authentication does not encrypt the traffic that follows.
 */
public final class Handshake {
    /** The largest handshake frame either side accepts. */
    public static final int MAX_FRAME = 256;

    private static final byte[] GREETING = "mp4j-auth-1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "OK".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO = "NO".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE = 32;
    private static final int MAC = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Handshake() {
    }

    // ------------------------------------------------------------------------------------------- client

    /**
     * Runs the client's side, blocking until it succeeds, fails or the deadline passes.
     *
     * @param channel  the connected channel.
     * @param authkey  the shared key.
     * @param deadline a {@link System#nanoTime()} deadline.
     * @param timeout  the handshake timeout, for messages.
     * @throws AuthenticationException if the listener refuses the key, fails to prove it holds it, or is not a
     *                                 multiproc4j listener.
     * @throws SocketTimeoutException  if the listener does not answer in time.
     * @throws EOFException            if the listener closes the connection before the end.
     * @throws InterruptedException    if the thread is interrupted.
     * @throws IOException             on another I/O error.
     */
    public static void client(FrameChannel channel, byte[] authkey, long deadline, Duration timeout)
            throws IOException, InterruptedException {
        String peer = channel.peer();
        byte[] greeting = readFrame(channel, deadline, timeout, peer);
        if (greeting.length != GREETING.length + NONCE || !startsWith(greeting, GREETING)) {
            throw new AuthenticationException(peer + " is not a multiproc4j Listener: its first frame is not"
                    + " an authentication challenge (" + greeting.length + " bytes)");
        }
        byte[] nonceL = Arrays.copyOfRange(greeting, GREETING.length, greeting.length);
        byte[] nonceC = nonce();
        byte[] answer = concat(hmac(authkey, 'C', nonceL, nonceC), nonceC);
        write(channel, answer, deadline, timeout, peer);
        byte[] verdict = readFrame(channel, deadline, timeout, peer);
        if (Arrays.equals(verdict, NO)) {
            throw new AuthenticationException(peer + " refused the authkey: the listener and this client hold"
                    + " different keys");
        }
        if (verdict.length != OK.length + MAC || !startsWith(verdict, OK)) {
            throw new AuthenticationException(peer + " answered the authentication with an unexpected frame ("
                    + verdict.length + " bytes)");
        }
        byte[] expected = hmac(authkey, 'L', nonceC, nonceL);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(verdict, OK.length, verdict.length))) {
            tryWrite(channel, NO);
            throw new AuthenticationException(peer + " failed to prove that it holds the authkey");
        }
        write(channel, OK, deadline, timeout, peer);
    }

    private static byte[] readFrame(FrameChannel channel, long deadline, Duration timeout, String peer)
            throws IOException, InterruptedException {
        FrameChannel.Frame f;
        try {
            f = channel.readFrame(deadline);
        } catch (TimeoutException e) {
            throw new SocketTimeoutException(peer + " did not complete the authentication handshake within "
                    + timeout);
        } catch (ProtocolException e) {
            throw new AuthenticationException(peer + " is not a multiproc4j Listener: " + e.getMessage(), e);
        }
        if (f.kind() != FrameChannel.KIND_HANDSHAKE) {
            throw new AuthenticationException(peer + " is not a multiproc4j Listener: it sent a frame of kind "
                    + f.kind() + " during the authentication handshake");
        }
        return f.data();
    }

    private static void write(FrameChannel channel, byte[] data, long deadline, Duration timeout, String peer)
            throws IOException, InterruptedException {
        try {
            channel.writeFrame(FrameChannel.KIND_HANDSHAKE, ByteBuffer.wrap(data), deadline);
        } catch (TimeoutException e) {
            throw new SocketTimeoutException(peer + " did not complete the authentication handshake within "
                    + timeout);
        }
    }

    private static void tryWrite(FrameChannel channel, byte[] data) {
        try {
            channel.offer(FrameChannel.KIND_HANDSHAKE, data, 0, data.length);
        } catch (IOException | RuntimeException e) {
            // best effort: the connection is being refused anyway
        }
    }

    // ------------------------------------------------------------------------------------------- listener

    /** What a listener's handshake needs next. */
    public enum Step {
        /** Wait until the socket is readable, then call {@link Listening#step()} again. */
        READ,
        /** Wait until the socket is writable, then call {@link Listening#step()} again. */
        WRITE,
        /** Authenticated: the channel is ready for messages. */
        DONE
    }

    /**
     * The listener's side of one handshake, as a state machine driven by a selector: it never blocks.
     */
    public static final class Listening {
        private final FrameChannel channel;
        private final byte[] authkey;
        private final long deadline;
        private final byte[] nonceL = nonce();
        private boolean challenged;
        private boolean welcomed;

        /**
         * Starts a handshake on a newly accepted channel.
         *
         * @param channel  the channel.
         * @param authkey  the shared key.
         * @param deadline when the client must have finished, as a {@link System#nanoTime()} value.
         */
        public Listening(FrameChannel channel, byte[] authkey, long deadline) {
            this.channel = channel;
            this.authkey = authkey;
            this.deadline = deadline;
        }

        /**
         * Returns the channel being authenticated.
         *
         * @return the channel.
         */
        public FrameChannel channel() {
            return channel;
        }

        /**
         * Returns when the client must have finished.
         *
         * @return a {@link System#nanoTime()} deadline.
         */
        public long deadline() {
            return deadline;
        }

        /**
         * Advances the handshake as far as it can go without blocking.
         *
         * @return what it needs next.
         * @throws AuthenticationException if the client failed: a wrong key, a foreign protocol, a connection
         *                                 closed or broken midway; the caller closes the channel.
         */
        public Step step() {
            try {
                return step0();
            } catch (AuthenticationException e) {
                throw e;
            } catch (ProtocolException e) {
                throw new AuthenticationException("client " + channel.peer() + " is not a multiproc4j Client: "
                        + e.getMessage(), e);
            } catch (EOFException e) {
                throw new AuthenticationException("client " + channel.peer() + " closed the connection during"
                        + " the authentication handshake", e);
            } catch (IOException e) {
                throw new AuthenticationException("client " + channel.peer() + " failed during the"
                        + " authentication handshake: " + e, e);
            }
        }

        private Step step0() throws IOException {
            if (!challenged) {
                challenged = true;
                byte[] greeting = concat(GREETING, nonceL);
                channel.offer(FrameChannel.KIND_HANDSHAKE, greeting, 0, greeting.length);
            }
            while (true) {
                if (!channel.flush()) {
                    return Step.WRITE;
                }
                if (!channel.fill()) {
                    return Step.READ;
                }
                FrameChannel.Frame f = channel.take();
                if (f.kind() != FrameChannel.KIND_HANDSHAKE) {
                    throw new AuthenticationException("client " + channel.peer() + " is not a multiproc4j"
                            + " Client: it sent a frame of kind " + f.kind() + " during the handshake");
                }
                byte[] data = f.data();
                if (!welcomed) {
                    if (data.length != MAC + NONCE) {
                        throw new AuthenticationException("client " + channel.peer() + " is not a multiproc4j"
                                + " Client: its answer to the challenge has " + data.length + " bytes");
                    }
                    byte[] nonceC = Arrays.copyOfRange(data, MAC, data.length);
                    byte[] expected = hmac(authkey, 'C', nonceL, nonceC);
                    if (!MessageDigest.isEqual(expected, Arrays.copyOf(data, MAC))) {
                        tryWrite(channel, NO);
                        throw new AuthenticationException("client " + channel.peer() + " failed authentication:"
                                + " it holds a different authkey; connection refused");
                    }
                    welcomed = true;
                    byte[] verdict = concat(OK, hmac(authkey, 'L', nonceC, nonceL));
                    channel.offer(FrameChannel.KIND_HANDSHAKE, verdict, 0, verdict.length);
                } else if (Arrays.equals(data, OK)) {
                    return Step.DONE;
                } else {
                    throw new AuthenticationException("client " + channel.peer() + " refused this listener's"
                            + " proof of the authkey");
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------- crypto

    /**
     * Checks a key: HMAC-SHA256 accepts any non-empty key.
     *
     * @param authkey the key.
     * @return a private copy of it.
     * @throws IllegalArgumentException if the key is empty.
     * @throws NullPointerException     if it is {@code null}.
     */
    public static byte[] checkKey(byte[] authkey) {
        if (authkey.length == 0) {
            throw new IllegalArgumentException("authkey is empty: use at least 16 random bytes (32 recommended)");
        }
        return authkey.clone();
    }

    private static byte[] nonce() {
        byte[] n = new byte[NONCE];
        RANDOM.nextBytes(n);
        return n;
    }

    private static byte[] hmac(byte[] key, char label, byte[] first, byte[] second) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((byte) label);
            mac.update(first);
            mac.update(second);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
        }
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
