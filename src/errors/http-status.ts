// Errors that came from an HTTP answer (Octokit's RequestError carries `status`, and `response`
// with the body and headers): one check for every caller that treats a 404 or a 403 differently.

/** An error thrown for an HTTP answer: its status, and the answer when the client kept it. */
export interface HttpFailure extends Error {
  status: number;
  response?: { data?: unknown; headers?: Record<string, unknown> };
}

export function isHttpFailure(error: unknown): error is HttpFailure {
  return error instanceof Error && typeof (error as Partial<HttpFailure>).status === 'number';
}

/** The HTTP status of an error; undefined for errors that did not come from an HTTP answer. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
