package dev.frontier.coordinator.system;

import java.io.IOException;
import java.io.Writer;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat refuses some requests before Spring sees them (an encoded slash or NUL in the path, an
 * unparseable URI) and answers with its HTML error page. This valve answers those with the same
 * RFC 7807 document as every other error, so a client never has to parse HTML.
 */
public class ProblemErrorReportValve extends ErrorReportValve {
    public ProblemErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) return;
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            String title = status >= 500 ? "Internal Server Error" : status == 404 ? "Not Found" : "Bad Request";
            String detail = status >= 500 ? "internal error" : "the request was refused before it reached the API: "
                    + (status == 400 ? "malformed or forbidden characters in the URL" : "HTTP " + status);
            Writer w = response.getReporter();
            if (w == null) return;
            w.write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the client went away; nothing else to tell it
        }
    }
}
