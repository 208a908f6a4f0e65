package dev.cratereactive.tls;

import io.netty.handler.codec.http.HttpHeaderNames;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/**
 * Posts one statement with Reactor Netty's {@link HttpClient} and a {@link CrateTls}, configured the way core's
 * transport does it: {@code secure(spec -> spec.sslContext(tls.sslContext()))}, and endpoint identification switched
 * off when {@link CrateTls#verifyHostname()} is false. Lets the TLS material be tested without core's client.
 */
final class DirectClient {

    private DirectClient() {
    }

    /** @return the response body of {@code POST {baseUrl}/_sql?types}, or the connection's error */
    static Mono<String> selectOne(CrateTls tls, String baseUrl) {
        return HttpClient.newConnection()
            .secure(spec -> {
                var builder = spec.sslContext(tls.sslContext());
                if (!tls.verifyHostname()) {
                    builder.handlerConfigurator(handler -> {
                        SSLEngine engine = handler.engine();
                        SSLParameters parameters = engine.getSSLParameters();
                        parameters.setEndpointIdentificationAlgorithm(null);
                        engine.setSSLParameters(parameters);
                    });
                }
            })
            .headers(headers -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .set(HttpHeaderNames.ACCEPT, "application/json"))
            .post()
            .uri(baseUrl + "/_sql?types")
            .send(ByteBufFlux.fromString(Mono.just("{\"stmt\":\"SELECT 1 AS x\"}")))
            .responseSingle((response, body) -> body.asString());
    }
}
