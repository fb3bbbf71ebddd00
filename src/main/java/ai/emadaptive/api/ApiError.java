package ai.emadaptive.api;

/** Error body: what went wrong, in words. */
public record ApiError(String error) {}
