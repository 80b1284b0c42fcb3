import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The plain-JDK HTTP plumbing the three demo services share: a server on one path and a client for the
 * calls between them. No OpenTelemetry code anywhere: the Java agent instruments HttpServer (server spans)
 * and HttpClient (client spans, W3C traceparent injected) by itself.
 */
final class Service {
  /** What a handler answers: an HTTP status and a JSON body. */
  record Reply(int status, String json) {}

  /** One endpoint's logic, given the query parameters. */
  interface Handler {
    Reply handle(Map<String, String> query) throws Exception;
  }

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1) // the JDK server speaks HTTP/1.1 only: no h2c upgrade attempt
      .connectTimeout(Duration.ofSeconds(2))
      .build();

  private Service() {}

  /** Serves `handler` on 127.0.0.1:$PORT`path` until the process ends; an exception is a 500. */
  static void serve(String name, int defaultPort, String path, Handler handler) throws IOException {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", String.valueOf(defaultPort)));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext(path, exchange -> {
      Reply reply;
      try {
        reply = handler.handle(query(exchange));
      } catch (Exception e) {
        reply = new Reply(500, json("error", String.valueOf(e.getMessage())));
      }
      send(exchange, reply);
    });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    System.out.printf("%s listening on http://127.0.0.1:%d%s%n", name, port, path);
  }

  /** GET `base + path` with the query parameters `params` (name, value, name, value…). */
  static HttpResponse<String> get(String base, String path, String... params) throws IOException, InterruptedException {
    StringBuilder url = new StringBuilder(base).append(path);
    for (int i = 0; i < params.length; i += 2) {
      url.append(i == 0 ? '?' : '&').append(params[i]).append('=')
          .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create(url.toString())).timeout(Duration.ofSeconds(5)).GET().build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The base URL of a downstream service: environment variable `env`, or 127.0.0.1 on `defaultPort`. */
  static String url(String env, int defaultPort) {
    return System.getenv().getOrDefault(env, "http://127.0.0.1:" + defaultPort);
  }

  /** A flat JSON object of string fields (name, value, name, value…). */
  static String json(String... fields) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < fields.length; i += 2) {
      if (i > 0) out.append(',');
      out.append('"').append(fields[i]).append("\":\"").append(fields[i + 1].replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return out.append('}').toString();
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> out = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null) return out;
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    byte[] body = (reply.json() + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("content-type", "application/json");
    exchange.sendResponseHeaders(reply.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
