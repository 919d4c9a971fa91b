package dev.frontier.coordinator.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.beans.TypeMismatchException;
import tools.jackson.core.JacksonException;

/**
 * The one place that turns failures into RFC 7807 problems. Client mistakes always name the
 * offending field (property {@code field}, plus {@code errors} when several are wrong) so a caller
 * can fix its request without reading server logs; only genuine bugs become 500.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> api(ApiException ex) {
        return problem(ex.status(), ex.getMessage(), ex.field(), List.of());
    }

    @ExceptionHandler(IllegalTransitionException.class)
    ResponseEntity<Object> transition(IllegalTransitionException ex) {
        return problem(HttpStatus.CONFLICT, ex.getMessage(), "state", List.of());
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Object> constraint(ConstraintViolationException ex) {
        List<Map<String, String>> errors = new ArrayList<>();
        ex.getConstraintViolations().forEach(v -> errors.add(error(leaf(v.getPropertyPath()), v.getMessage())));
        return invalid(errors);
    }

    /** A multipart body that cannot be parsed (no boundary, cut short) is the client's mistake, not a 500. */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Object> multipart(MultipartException ex) {
        Throwable cause = ex.getMostSpecificCause();
        return problem(HttpStatus.BAD_REQUEST, "malformed multipart body: " + (cause.getMessage() == null ? ex.getMessage() : cause.getMessage()),
                null, List.of());
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Object> integrity(DataIntegrityViolationException ex) {
        // SQL state class 22 (data exception: NUL in text, bad escape in jsonb, out of range) is a bad value,
        // not a conflict; the transaction rolled back, so nothing was stored
        if (ex.getMostSpecificCause() instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
            log.info("invalid value refused by the database: {}", sql.getMessage());
            return problem(HttpStatus.BAD_REQUEST, "invalid value: " + sql.getMessage().lines().findFirst().orElse(""), null, List.of());
        }
        log.info("integrity violation: {}", ex.getMostSpecificCause().getMessage());
        return problem(HttpStatus.CONFLICT, "conflicts with stored data: " + ex.getMostSpecificCause().getMessage(), null, List.of());
    }

    @ExceptionHandler(OptimisticLockingFailureException.class)
    ResponseEntity<Object> concurrent(OptimisticLockingFailureException ex) {
        return problem(HttpStatus.CONFLICT, "changed concurrently, retry", null, List.of());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception ex) {
        log.error("unexpected failure", ex);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal error", null, List.of());
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        for (FieldError fe : ex.getBindingResult().getFieldErrors()) errors.add(error(fe.getField(), fe.getDefaultMessage()));
        ex.getBindingResult().getGlobalErrors().forEach(ge -> errors.add(error(ge.getObjectName(), ge.getDefaultMessage())));
        return invalid(errors);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(r -> r.getResolvableErrors().forEach(e -> errors.add(
                error(r.getMethodParameter().getParameterName(), e.getDefaultMessage()))));
        return invalid(errors);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String field = null;
        String detail = "malformed request body";
        if (ex.getCause() instanceof JacksonException je) {
            field = je.getPath().stream()
                    .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse(null);
            detail = "malformed request body" + (field != null ? " at '" + field + "'" : "") + ": " + je.getOriginalMessage();
        }
        return problem(HttpStatus.BAD_REQUEST, detail, field, List.of());
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        return problem(HttpStatus.BAD_REQUEST, "'" + ex.getPropertyName() + "' has an invalid value: " + ex.getValue(),
                ex.getPropertyName(), List.of());
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return problem(HttpStatus.BAD_REQUEST, "'" + ex.getParameterName() + "' is required", ex.getParameterName(), List.of());
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestPart(MissingServletRequestPartException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return problem(HttpStatus.BAD_REQUEST, "part '" + ex.getRequestPartName() + "' is required", ex.getRequestPartName(), List.of());
    }

    private static ResponseEntity<Object> invalid(List<Map<String, String>> errors) {
        String field = errors.isEmpty() ? null : errors.get(0).get("field");
        String detail = errors.isEmpty() ? "invalid request"
                : errors.stream().map(e -> e.get("field") + ": " + e.get("message")).reduce((a, b) -> a + "; " + b).orElse("");
        return problem(HttpStatus.BAD_REQUEST, detail, field, errors);
    }

    static ResponseEntity<Object> problem(HttpStatus status, String detail, String field, List<Map<String, String>> errors) {
        ProblemDetail pd = ProblemDetail.forStatusAndDetail(status, detail);
        if (field != null) pd.setProperty("field", field);
        if (!errors.isEmpty()) pd.setProperty("errors", errors);
        return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(pd);
    }

    private static Map<String, String> error(String field, String message) {
        return Map.of("field", field == null ? "" : field, "message", message == null ? "invalid" : message);
    }

    private static String leaf(Path path) {
        String last = null;
        for (Path.Node n : path) last = n.getName();
        return last;
    }
}
