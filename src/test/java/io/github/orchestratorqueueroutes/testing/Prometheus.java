package io.github.orchestratorqueueroutes.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;

/** Reads the product's management server: Prometheus text from /observe/metrics and the health endpoints. */
public final class Prometheus {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Prometheus() {
    }

    /** A free loopback port for the management server. */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The sum of the samples of {@code name} whose labels include every {@code key=value} pair given, or 0 when
     * there is none (a counter that never moved is not exported).
     */
    public static double value(String scrape, String name, String... labels) {
        return scrape.lines()
                .filter(line -> !line.startsWith("#"))
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> Arrays.stream(labels).allMatch(l -> {
                    String[] kv = l.split("=", 2);
                    return line.contains(kv[0] + "=\"" + kv[1] + "\"");
                }))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
