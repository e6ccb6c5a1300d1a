package simplebt.trackerclient;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The process's {@link HttpClient}s for talking to trackers, built once, on first use or ahead
 * of it ({@link #prepare}), and shared by every {@link AnnounceClient} and {@link ApiClient}.
 * <p>
 * Why: building one is the most expensive step of a node's start. Measured on 2 cores (JDK 25):
 * about 290 ms of CPU and 760 classes for {@code HttpClient.newBuilder().build()} alone, 120 ms
 * and 155 classes of it when the client is given a TLS context that does nothing, because the
 * JDK's default one (JSSE, the trust store, every cipher suite) is set up in the constructor
 * even for a client that only ever speaks plain http. So:
 * <ul>
 * <li>one client per kind for the whole process, never closed (its selector thread is a daemon
 * and ends with the process);</li>
 * <li>http:// URLs get a client whose TLS context refuses to be used ({@link NoTls}); https://
 * URLs get a client with the JDK's default TLS, built only when such a URL is first used. An
 * http tracker redirecting to https therefore fails with a clear message instead of silently
 * setting up TLS.</li>
 * </ul>
 * HTTP/1.1 only: trackers speak it, and skipping the HTTP/2 upgrade keeps the client cheaper.
 * The clients run their work (reading replies, completing requests) on virtual threads
 * ({@link #WORKERS}), not on the JDK's default pool of platform threads, which grows by one
 * thread per announce in flight: a {@code serve} with 100 torrents announcing at start kept 26
 * platform threads ({@code HttpClient-1-Worker-*}, a stack each) for a minute after.
 * Shared state: {@code CLIENTS}, guarded by {@code LOCK}; the lock is held while a client is
 * built (CPU work, no I/O), so a second caller waits for the first one's client.
 */
public final class SharedHttpClients {
    /** Whether the client follows redirects. */
    public enum Redirects {
        /** Announces: a tracker may have moved (never from https to http). */
        FOLLOW,
        /** The account API: its requests carry a bearer token that must not follow a redirect. */
        NEVER
    }

    private enum Kind {
        PLAIN_FOLLOW, PLAIN_NEVER, TLS_FOLLOW, TLS_NEVER
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Map<Kind, HttpClient> CLIENTS = new EnumMap<>(Kind.class);
    /** One virtual thread per task, for every client; never shut down, as the clients are never closed. */
    private static final Executor WORKERS = Executors.newVirtualThreadPerTaskExecutor();

    private SharedHttpClients() {
    }

    /** The shared client for requests to {@code uri}. */
    public static HttpClient forUri(URI uri, Redirects redirects) {
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        Kind kind = switch (redirects) {
            case FOLLOW -> tls ? Kind.TLS_FOLLOW : Kind.PLAIN_FOLLOW;
            case NEVER -> tls ? Kind.TLS_NEVER : Kind.PLAIN_NEVER;
        };
        LOCK.lock();
        try {
            return CLIENTS.computeIfAbsent(kind, k -> build(tls, redirects));
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Starts building the client for {@code url} on a virtual thread and returns at once, so
     * that it is ready when the first request needs it (a node calls this before checking its
     * data and opening its port). A bad URL is left for the request to report.
     */
    public static void prepare(String url, Redirects redirects) {
        Thread.ofVirtual().name("http-client-prepare").start(() -> {
            try {
                forUri(URI.create(url), redirects);
            } catch (RuntimeException e) {
                // the real request will fail with its own, clearer message
            }
        });
    }

    private static HttpClient build(boolean tls, Redirects redirects) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT).executor(WORKERS)
                .followRedirects(redirects == Redirects.FOLLOW ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER);
        if (!tls) {
            b.sslContext(new NoTlsContext()).sslParameters(new SSLParameters());
        }
        return b.build();
    }

    /** A TLS context for clients that speak plain http only (see the class comment). */
    private static final class NoTlsContext extends SSLContext {
        NoTlsContext() {
            super(new NoTls(), null, "none");
        }
    }

    /** Refuses every use: a plain-http client reaching for TLS is a redirect to https. */
    private static final class NoTls extends SSLContextSpi {
        private static UnsupportedOperationException refuse() {
            return new UnsupportedOperationException("https reached through a plain-http client (a redirect from http to https?)");
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
            throw refuse();
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refuse();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refuse();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refuse();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refuse();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw refuse();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw refuse();
        }
    }
}
