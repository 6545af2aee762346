// The HTTP status of an error Octokit threw (its RequestError carries `status`); undefined for
// errors that did not come from an HTTP answer.

export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
