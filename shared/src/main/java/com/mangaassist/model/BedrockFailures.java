package com.mangaassist.model;

import com.mangaassist.model.ModelFailure.Kind;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/** Translates what the SDK throws (before or inside the stream) into a {@link ModelFailure}. */
final class BedrockFailures {

  private static final int MAX_MESSAGE = 300;

  private BedrockFailures() {}

  static ModelFailure classify(Throwable raw, boolean afterFirstToken) {
    Throwable error = unwrap(raw);
    if (error instanceof ThrottlingException) {
      return failure(Kind.THROTTLED, error, true, afterFirstToken);
    }
    if (error instanceof ServiceQuotaExceededException) {
      return failure(Kind.THROTTLED, error, false, afterFirstToken);
    }
    if (error instanceof ValidationException) {
      return failure(Kind.VALIDATION, error, false, afterFirstToken);
    }
    if (error instanceof ModelTimeoutException) {
      return failure(Kind.TIMEOUT, error, true, afterFirstToken);
    }
    if (error instanceof ModelStreamErrorException || error instanceof ModelErrorException) {
      return failure(Kind.MODEL_ERROR, error, false, afterFirstToken);
    }
    if (error instanceof ServiceUnavailableException || error instanceof InternalServerException
        || error instanceof ModelNotReadyException) {
      return failure(Kind.MODEL_ERROR, error, true, afterFirstToken);
    }
    if (error instanceof AwsServiceException service) {
      int status = service.statusCode();
      if (status == 429) {
        return failure(Kind.THROTTLED, error, true, afterFirstToken);
      }
      if (status >= 500) {
        return failure(Kind.MODEL_ERROR, error, true, afterFirstToken);
      }
      if (status == 400) {
        return failure(Kind.VALIDATION, error, false, afterFirstToken);
      }
      return failure(Kind.INTERNAL, error, false, afterFirstToken);
    }
    if (hasTimeoutCause(error)) {
      return failure(Kind.TIMEOUT, error, true, afterFirstToken);
    }
    if (hasCause(error, IOException.class) || hasNettyCause(error)) {
      // connection refused/reset/closed: the request may well succeed on a fresh connection
      return failure(Kind.MODEL_ERROR, error, true, afterFirstToken);
    }
    // anything else (SdkClientException for credentials, endpoint or marshalling problems) is our own fault
    return failure(Kind.INTERNAL, error, false, afterFirstToken);
  }

  static Throwable unwrap(Throwable error) {
    Throwable current = error;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  private static boolean hasTimeoutCause(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      // Netty's ReadTimeoutException and the SDK's ApiCall*TimeoutException are matched by name to avoid
      // depending on Netty classes here
      if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("TimeoutException")) {
        return true;
      }
    }
    return false;
  }

  /** Netty transport errors (e.g. HTTP/2 stream resets) that are not IOExceptions. */
  private static boolean hasNettyCause(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getClass().getName().startsWith("io.netty.")) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static ModelFailure failure(Kind kind, Throwable error, boolean retryable, boolean afterFirstToken) {
    String message = error instanceof AwsServiceException service && service.awsErrorDetails() != null
        && service.awsErrorDetails().errorMessage() != null
        ? service.awsErrorDetails().errorCode() + ": " + service.awsErrorDetails().errorMessage()
        : error.getClass().getSimpleName() + ": " + error.getMessage();
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE) + "…";
    }
    return new ModelFailure(kind, message, retryable, afterFirstToken);
  }
}
