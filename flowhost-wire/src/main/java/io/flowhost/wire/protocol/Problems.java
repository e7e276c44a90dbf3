package io.flowhost.wire.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.flowhost.domain.access.RateLimitedException;
import io.flowhost.domain.deployment.DeploymentFailedException;
import io.flowhost.domain.deployment.InvalidSettingsException;
import io.flowhost.domain.deployment.UnknownDeploymentException;
import io.flowhost.domain.instance.InstanceFailedException;
import io.flowhost.domain.instance.InstanceTimeoutException;
import io.flowhost.domain.instance.NotReadyException;
import io.flowhost.domain.request.IdempotencyKeyReusedException;
import io.flowhost.domain.request.QueueFullException;
import io.flowhost.domain.request.RequestExpiredException;
import io.flowhost.domain.request.RequestStateException;
import io.flowhost.domain.request.UnknownRequestException;
import io.flowhost.domain.rollout.NoRolloutException;
import io.flowhost.domain.service.BreakingChangeException;
import io.flowhost.domain.service.HandlerFailedException;
import io.flowhost.domain.service.MethodNotAllowedException;
import io.flowhost.domain.service.UnknownEndpointException;
import io.flowhost.domain.service.UnknownModelException;
import io.flowhost.domain.service.UnknownServiceException;
import io.flowhost.domain.service.UnsupportedMediaTypeException;
import io.flowhost.domain.service.WrongModeException;
import io.flowhost.domain.state.NoLeaderException;
import io.flowhost.domain.state.StateUnavailableException;
import io.flowhost.domain.table.InvalidKeyException;
import io.flowhost.domain.table.TableSourceException;
import io.flowhost.domain.table.TableStateException;
import io.flowhost.domain.table.UnknownKeyException;
import io.flowhost.domain.table.UnknownTableException;
import io.flowhost.sdk.CallRejectedException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one table from what went wrong to the problem the caller gets: each exception the platform throws (or a
 * handler's {@link CallRejectedException}) has its problem type, status and extension members here, and nowhere
 * else. Anything not in the table is a bug of ours: 500 with an error id, logged with its stack trace, never shown.
 */
public final class Problems {

    private static final System.Logger LOG = System.getLogger("flowhost.errors");

    /** Seconds a caller is asked to wait before retrying a full queue. */
    static final int QUEUE_FULL_RETRY_SECONDS = 5;
    /** Long enough for a database restart or failover to finish, short enough not to leave a caller idle. */
    static final int STATE_RETRY_SECONDS = 5;

    private Problems() {}

    /** The problem for this failure of the call with this request id. */
    public static Problem of(Throwable failure, String requestId) {
        var e = unwrap(failure);
        var detail = e.getMessage();
        return switch (e) {
            case UnknownServiceException x -> Problem.of(ProblemType.UNKNOWN_SERVICE, detail, requestId);
            case NoRolloutException x -> Problem.of(ProblemType.CONFLICT, detail, requestId);
            case UnknownTableException x -> Problem.of(ProblemType.UNKNOWN_TABLE, detail, requestId);
            case UnknownKeyException x -> Problem.of(ProblemType.KEY_NOT_FOUND, detail, requestId);
            case InvalidKeyException x -> Problem.of(ProblemType.INVALID_KEY, detail, requestId);
            case TableSourceException x -> Problem.of(ProblemType.INVALID_TABLE_SOURCE, detail, requestId);
            case TableStateException x -> Problem.of(ProblemType.CONFLICT, detail, requestId);
            case UnknownModelException x ->
                Problem.of(ProblemType.NOT_FOUND, detail, requestId)
                        .with("error", "model '" + x.model() + "' not found");
            case UnknownEndpointException x -> Problem.of(ProblemType.UNKNOWN_ENDPOINT, detail, requestId);
            case MethodNotAllowedException x ->
                Problem.of(ProblemType.METHOD_NOT_ALLOWED, detail, requestId).with("allow", x.allow());
            case UnsupportedMediaTypeException x -> Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, detail, requestId);
            case WrongModeException x -> Problem.of(ProblemType.BAD_REQUEST, detail, requestId);
            case BadRequestException x -> Problem.of(ProblemType.BAD_REQUEST, detail, requestId);
            case NoRouteException x -> Problem.of(ProblemType.NOT_FOUND, detail, requestId);
            case ForbiddenException x -> Problem.of(ProblemType.FORBIDDEN, detail, requestId);
            case UnauthorizedException x -> Problem.of(ProblemType.UNAUTHORIZED, detail, requestId);
            case BodyTooLargeException x ->
                Problem.of(ProblemType.BODY_TOO_LARGE, detail, requestId).with("limit", x.limit());
            case JsonProcessingException x -> BadInput.problem(x, requestId);
            case CallRejectedException x ->
                Problem.of(ProblemType.CALL_REJECTED, detail, requestId).withStatus(x.status());
            case HandlerFailedException x ->
                Problem.of(ProblemType.HANDLER_FAILED, detail, requestId).with("errorId", x.errorId());
            case NotReadyException x ->
                Problem.of(ProblemType.NOT_READY, detail, requestId).retryAfter(x.retryAfterSeconds());
            case InstanceFailedException x ->
                instance(Problem.of(ProblemType.INSTANCE_FAILED, detail, requestId), x.instance());
            case InstanceTimeoutException x ->
                instance(Problem.of(ProblemType.INSTANCE_TIMEOUT, detail, requestId), x.instance());
            case DeploymentFailedException x -> Problem.of(ProblemType.INVALID_SERVICE, detail, requestId);
            case BreakingChangeException x ->
                Problem.of(ProblemType.BREAKING_CHANGE, detail, requestId).with("changes", x.changes());
            case InvalidSettingsException x -> Problem.of(ProblemType.INVALID_SETTINGS, detail, requestId);
            case UnknownDeploymentException x -> Problem.of(ProblemType.NOT_FOUND, detail, requestId);
            case StateUnavailableException x ->
                Problem.of(ProblemType.STATE_UNAVAILABLE, detail, requestId).retryAfter(STATE_RETRY_SECONDS);
            case NoLeaderException x ->
                Problem.of(ProblemType.NO_LEADER, detail, requestId).retryAfter(STATE_RETRY_SECONDS);
            case IdentityProviderUnavailableException x ->
                Problem.of(ProblemType.IDENTITY_PROVIDER_UNAVAILABLE, detail, requestId)
                        .retryAfter(STATE_RETRY_SECONDS);
            case QueueFullException x ->
                Problem.of(ProblemType.QUEUE_FULL, detail, requestId).retryAfter(QUEUE_FULL_RETRY_SECONDS);
            case RateLimitedException x ->
                Problem.of(ProblemType.RATE_LIMITED, detail, requestId)
                        .retryAfter(x.retryAfterSeconds())
                        .with(
                                "quota",
                                new Quota(x.policy(), x.rate().burst(), x.rate().windowSeconds(), 0, x.resetSeconds()));
            case UnknownRequestException x -> Problem.of(ProblemType.NOT_FOUND, detail, requestId);
            case IdempotencyKeyReusedException x -> Problem.of(ProblemType.IDEMPOTENCY_KEY_REUSED, detail, requestId);
            case RequestExpiredException x -> Problem.of(ProblemType.REQUEST_EXPIRED, detail, requestId);
            case RequestStateException x ->
                Problem.of(ProblemType.CONFLICT, detail, requestId).with("state", x.state());
            case TooLongHttpLineException x ->
                Problem.of(
                        ProblemType.URI_TOO_LONG,
                        "the request line is too long (over 4096 bytes): shorten the URL and send data in the body",
                        requestId);
            case TooManyHeadersException x -> Problem.of(ProblemType.HEADERS_TOO_LARGE, detail, requestId);
            case TooLongHttpHeaderException x -> headersTooLarge(requestId);
            case TooLongFrameException x -> headersTooLarge(requestId);
            case DecoderException x ->
                Problem.of(ProblemType.BAD_REQUEST, "the request is not valid HTTP/1.1: " + decoderSaid(x), requestId);
            default -> internal(e, requestId);
        };
    }

    /** Netty's words, without the Java class it may wrap them in ("java.lang.NumberFormatException: For input..."). */
    private static String decoderSaid(DecoderException e) {
        var cause = e.getCause();
        return cause != null
                        && cause.getMessage() != null
                        && String.valueOf(e.getMessage()).equals(cause.toString())
                ? cause.getMessage()
                : e.getMessage();
    }

    /** The failure a future carried, without the wrappers that completing it added. */
    private static Throwable unwrap(Throwable failure) {
        var e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static Problem instance(Problem problem, String instance) {
        return instance == null ? problem : problem.with("instance", instance);
    }

    private static Problem headersTooLarge(String requestId) {
        return Problem.of(
                ProblemType.HEADERS_TOO_LARGE, "the request headers are too large (over 8192 bytes)", requestId);
    }

    /** Ours: the caller gets an id to quote, the log the stack trace under it. */
    private static Problem internal(Throwable e, String requestId) {
        var errorId = RequestIds.next();
        LOG.log(Level.ERROR, "request " + requestId + " failed (error id " + errorId + ")", e);
        return Problem.of(ProblemType.INTERNAL, "the server failed; its log has error id " + errorId, requestId)
                .with("errorId", errorId);
    }
}
