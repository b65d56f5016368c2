package com.mangaassist.emulator;

/** The Bedrock Runtime errors the emulator can produce, with their HTTP status and event-stream member name. */
enum BedrockError {
  THROTTLING(429, "ThrottlingException", "throttlingException",
      "Too many requests, please wait before trying again."),
  VALIDATION(400, "ValidationException", "validationException", "Malformed input request."),
  SERVICE_UNAVAILABLE(503, "ServiceUnavailableException", "serviceUnavailableException",
      "Bedrock is unable to process your request."),
  INTERNAL_SERVER(500, "InternalServerException", "internalServerException",
      "The server encountered an internal error."),
  MODEL_STREAM_ERROR(424, "ModelStreamErrorException", "modelStreamErrorException",
      "The model stream failed while generating the response.");

  final int status;
  /** Value of the {@code x-amzn-ErrorType} header for errors sent before the stream. */
  final String errorType;
  /** Value of the {@code :exception-type} header for errors sent inside the stream. */
  final String exceptionType;
  final String defaultMessage;

  BedrockError(int status, String errorType, String exceptionType, String defaultMessage) {
    this.status = status;
    this.errorType = errorType;
    this.exceptionType = exceptionType;
    this.defaultMessage = defaultMessage;
  }
}
