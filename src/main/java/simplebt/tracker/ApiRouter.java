package simplebt.tracker;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import simplebt.log.Log;

/**
 * Dispatches /api requests by method and path to small endpoints and turns every failure
 * into {@code {"error": "..."}} with its status: 404 for unknown paths, 405 (with Allow) for a
 * known path with the wrong method, 500 without details for bugs and storage failures.
 */
final class ApiRouter implements HttpHandler {
    /** One API operation; path groups are in {@code path}. */
    interface Endpoint {
        ApiReply handle(HttpExchange exchange, Matcher path) throws ApiException, IOException, InterruptedException;
    }

    private record Route(String method, Pattern path, Endpoint endpoint) {
    }

    private final List<Route> routes = new ArrayList<>();

    ApiRouter add(String method, String pathRegex, Endpoint endpoint) {
        routes.add(new Route(method, Pattern.compile(pathRegex), endpoint));
        return this;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            ApiReply reply;
            try {
                reply = dispatch(ex);
            } catch (ApiException e) {
                if (e.retryAfterSeconds() > 0) {
                    ex.getResponseHeaders().set("Retry-After", Long.toString(e.retryAfterSeconds()));
                }
                HttpIO.error(ex, e.status(), e.getMessage());
                return;
            } catch (IOException e) {
                Log.warn("api " + ex.getRequestURI().getRawPath() + ": " + e.getMessage());
                HttpIO.error(ex, 500, "the tracker could not complete the request (storage error)");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                HttpIO.error(ex, 503, "the tracker is shutting down");
                return;
            } catch (RuntimeException e) {
                Log.warn("api " + ex.getRequestURI().getRawPath() + ": " + e);
                Log.debug("details", e);
                HttpIO.error(ex, 500, "internal error");
                return;
            }
            if (reply.filename() != null) {
                ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + reply.filename() + "\"");
            }
            HttpIO.send(ex, reply.status(), reply.contentType(), reply.body());
        }
    }

    private ApiReply dispatch(HttpExchange ex) throws ApiException, IOException, InterruptedException {
        String path = ex.getRequestURI().getRawPath();
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            Matcher m = r.path.matcher(path);
            if (!m.matches()) {
                continue;
            }
            if (r.method.equals(ex.getRequestMethod())) {
                return r.endpoint.handle(ex, m);
            }
            allowed.add(r.method);
        }
        if (allowed.isEmpty()) {
            throw new ApiException(404, "no such API endpoint: " + ex.getRequestMethod() + " " + path);
        }
        ex.getResponseHeaders().set("Allow", String.join(", ", allowed));
        throw new ApiException(405, ex.getRequestMethod() + " is not allowed here; use " + String.join(" or ", allowed));
    }
}
