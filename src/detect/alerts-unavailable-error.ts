// GitHub answered that the repository has no code-scanning alerts to give (code scanning is off,
// Advanced Security is not enabled, the token lacks `security_events`, or no analysis exists for
// the ref). Callers go on without alerts and say why.
import { SecCoderError } from '../errors/seccoder-error.js';

export class AlertsUnavailableError extends SecCoderError {
  override name = 'AlertsUnavailableError';
  constructor(
    /** HTTP status: 403 (not enabled, no permission) or 404 (no analysis, or repo not visible). */
    readonly status: number,
    /** GitHub's own explanation, e.g. "no analysis found". */
    readonly githubMessage: string,
    readonly repository: string,
    options?: { cause?: unknown },
  ) {
    super(`code-scanning alerts are unavailable for ${repository} (HTTP ${status}: ${githubMessage})`, {
      ...options,
      hint:
        status === 403
          ? 'enable code scanning on the repository (Advanced Security, for a private one) and give the token security_events: read'
          : 'run a code-scanning analysis (e.g. the CodeQL workflow) on pull requests, or check the token can see the repository',
    });
  }
}
