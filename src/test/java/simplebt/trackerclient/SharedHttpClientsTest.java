package simplebt.trackerclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import simplebt.metainfo.InfoHash;
import simplebt.trackerclient.AnnounceRequest.Event;
import simplebt.trackerclient.SharedHttpClients.Redirects;

class SharedHttpClientsTest {
    private HttpServer server;
    private HttpServer elsewhere;

    @AfterEach
    void stop() {
        for (HttpServer s : new HttpServer[] {server, elsewhere}) {
            if (s != null) {
                s.stop(0);
            }
        }
    }

    @Test
    void theApisBearerTokenDoesNotFollowARedirect() throws Exception {
        AtomicReference<String> tokenSeenElsewhere = new AtomicReference<>("no request");
        elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        elsewhere.createContext("/", ex -> {
            tokenSeenElsewhere.set(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        elsewhere.start();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        server.createContext("/", ex -> {
            ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/api/me");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.start();

        ApiClient api = new ApiClient("http://127.0.0.1:" + server.getAddress().getPort(), "secret-token");
        assertThatThrownBy(api::me).isInstanceOf(java.io.IOException.class);

        assertThat(tokenSeenElsewhere.get()).isEqualTo("no request");
    }

    @Test
    void manyAnnouncesAtOnceLeaveNoPlatformWorkerThreads() throws Exception {
        // A serve with 100 torrents announces them all at start; the JDK's default executor kept a
        // platform thread per request in flight (26 of them in the serve-vs-transmission bench).
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            byte[] body = "d8:intervali60e5:peers0:e".getBytes(StandardCharsets.US_ASCII);
            try {
                Thread.sleep(200); // the requests overlap
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/announce");
        HttpClient client = SharedHttpClients.forUri(uri, Redirects.FOLLOW);

        java.util.List<Thread> requests = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < 20; i++) {
            requests.add(Thread.ofVirtual().start(() -> {
                try {
                    var reply = client.send(java.net.http.HttpRequest.newBuilder(uri).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    if (reply.statusCode() == 200) {
                        answered.incrementAndGet();
                    }
                } catch (Exception e) {
                    // counted as not answered
                }
            }));
        }
        for (Thread t : requests) {
            t.join(Duration.ofSeconds(20));
        }

        assertThat(answered.get()).isEqualTo(20);
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(name -> name.matches("HttpClient-\\d+-Worker-\\d+"));
    }

    @Test
    void oneClientPerKindForTheWholeProcess() {
        HttpClient a = SharedHttpClients.forUri(URI.create("http://127.0.0.1:1/announce"), Redirects.FOLLOW);
        HttpClient b = SharedHttpClients.forUri(URI.create("http://tracker.example:8000/announce?passkey=x"), Redirects.FOLLOW);
        HttpClient api = SharedHttpClients.forUri(URI.create("http://127.0.0.1:1"), Redirects.NEVER);

        assertThat(b).isSameAs(a);
        assertThat(api).isNotSameAs(a);
        assertThat(a.followRedirects()).isEqualTo(HttpClient.Redirect.NORMAL);
        assertThat(api.followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
        assertThat(a.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void httpsTrackersGetTheJdksDefaultTls() throws Exception {
        HttpClient plain = SharedHttpClients.forUri(URI.create("http://127.0.0.1:1/announce"), Redirects.FOLLOW);
        HttpClient tls = SharedHttpClients.forUri(URI.create("https://127.0.0.1:1/announce"), Redirects.FOLLOW);

        assertThat(tls).isNotSameAs(plain);
        assertThat(tls.sslContext().getProtocol()).isEqualTo(javax.net.ssl.SSLContext.getDefault().getProtocol());
        assertThat(plain.sslContext().getProtocol()).isEqualTo("none");
    }

    @Test
    void anHttpTrackerRedirectingToHttpsIsAnAnnounceErrorNotACrash() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        int port = server.getAddress().getPort();
        server.createContext("/", ex -> {
            ex.getResponseHeaders().add("Location", "https://127.0.0.1:" + port + "/announce");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.start();
        AnnounceRequest request = new AnnounceRequest(InfoHash.fromHex("11".repeat(20)),
                "-SB0001-abcdefghijkl".getBytes(StandardCharsets.ISO_8859_1), 6881, 0, 0, 1, Event.STARTED, 50);

        AnnounceException e = catchThrowableOfType(AnnounceException.class, () -> new AnnounceClient(Duration.ofSeconds(5))
                .announce("http://127.0.0.1:" + port + "/announce", request));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("tracker unreachable", "plain-http client");
    }
}
