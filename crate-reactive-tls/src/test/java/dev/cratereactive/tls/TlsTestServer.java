package dev.cratereactive.tls;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * An in-process HTTPS (or plain HTTP) server on 127.0.0.1 and a free port that answers {@code POST /_sql} like a
 * CrateDB node. Without a client certificate it answers {@code SELECT 1 AS x}; with one it answers
 * {@code SELECT current_user AS u} with the certificate's CN, as CrateDB's {@code cert} authentication does
 * (transcript {@code auth-cert-as-crate}). It records what each request negotiated.
 */
final class TlsTestServer implements AutoCloseable {

    /** CrateDB 6.4.3's answer to {@code SELECT 1 AS x} with {@code ?types}. */
    static final String SELECT_1 = "{\"cols\":[\"x\"],\"col_types\":[9],\"rows\":[[1]],\"rowcount\":1,\"duration\":0.5}";

    private final DisposableServer server;
    private final Queue<String> protocols = new ConcurrentLinkedQueue<>();
    private final Queue<String> clientSubjects = new ConcurrentLinkedQueue<>();
    private final Queue<String> requestBodies = new ConcurrentLinkedQueue<>();

    private TlsTestServer(SslContext context) {
        HttpServer http = HttpServer.create().host("127.0.0.1").port(0);
        if (context != null) {
            http = http.secure(spec -> spec.sslContext(context));
        }
        this.server = http.handle(this::handle).bindNow(Duration.ofSeconds(10));
    }

    /** An HTTPS server presenting {@code identity}; {@code options} adjusts its context (client auth, protocols). */
    static TlsTestServer https(TestPki.Issued identity, UnaryOperator<SslContextBuilder> options) {
        try {
            return new TlsTestServer(options.apply(SslContextBuilder.forServer(identity.key(), identity.certificate())).build());
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    static TlsTestServer https(TestPki.Issued identity) {
        return https(identity, UnaryOperator.identity());
    }

    /** An HTTPS server that requires a client certificate issued by {@code clientCa}. */
    static TlsTestServer mutualTls(TestPki.Issued identity, X509Certificate clientCa) {
        return https(identity, builder -> builder.trustManager(clientCa).clientAuth(ClientAuth.REQUIRE));
    }

    static TlsTestServer plainHttp() {
        return new TlsTestServer(null);
    }

    int port() {
        return server.port();
    }

    /** @return {@code scheme://host:port}, e.g. {@code https://127.0.0.1:34567} */
    String url(String scheme, String host) {
        return scheme + "://" + host + ":" + port();
    }

    /** TLS versions negotiated by the requests that reached the handler, in order. */
    List<String> protocols() {
        return List.copyOf(protocols);
    }

    /** Subjects of the client certificates of the requests that reached the handler ("none" without one). */
    List<String> clientSubjects() {
        return List.copyOf(clientSubjects);
    }

    List<String> requestBodies() {
        return List.copyOf(requestBodies);
    }

    private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        if (request.method() != HttpMethod.POST || !request.uri().startsWith("/_sql")) {
            return response.status(HttpResponseStatus.NOT_FOUND).send();
        }
        String[] user = {null};
        request.withConnection(connection -> {
            SslHandler ssl = connection.channel().pipeline().get(SslHandler.class);
            if (ssl != null) {
                SSLSession session = ssl.engine().getSession();
                protocols.add(session.getProtocol());
                user[0] = clientCn(session);
            } else {
                protocols.add("none");
            }
        });
        clientSubjects.add(user[0] == null ? "none" : "CN=" + user[0]);
        String body = user[0] == null ? SELECT_1
            : "{\"cols\":[\"u\"],\"col_types\":[4],\"rows\":[[\"" + user[0] + "\"]],\"rowcount\":1,\"duration\":7.619018}";
        return request.receive().aggregate().asString().defaultIfEmpty("")
            .flatMap(received -> {
                requestBodies.add(received);
                return response.status(HttpResponseStatus.OK)
                    .header(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8")
                    .sendString(Mono.just(body))
                    .then();
            });
    }

    private static String clientCn(SSLSession session) {
        try {
            Certificate[] peer = session.getPeerCertificates();
            String subject = ((X509Certificate) peer[0]).getSubjectX500Principal().getName();
            return subject.startsWith("CN=") ? subject.substring(3).split(",")[0] : subject;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
    }
}
