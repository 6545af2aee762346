// The operator's endpoints beside the webhook: /healthz (the process answers), /readyz (it can do its
// work: the checks the caller passes) and /metrics (Prometheus). A server calls the returned handler
// first and goes on with its own routes when it returns false.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { within } from './deadline.js';
import type { AppMetrics } from './metrics.js';

/** One readiness check's result; `detail` says what is wrong (or what was found) for the operator. */
export interface ReadinessCheck {
  ok: boolean;
  detail?: string;
}

/** Runs every readiness check, keyed by name (`corpus`, `redis`). */
export type Readiness = () => Promise<Record<string, ReadinessCheck>>;

export interface OpsRoutesOptions {
  metrics: Pick<AppMetrics, 'registry'>;
  readiness: Readiness;
  /** How long /readyz waits for `readiness` before it answers 503. Default 2000 ms: under the usual 5 s probe timeout of Docker and Kubernetes. */
  readinessTimeoutMs?: number;
}

export const DEFAULT_READINESS_TIMEOUT_MS = 2000;

/** The one name /readyz reports when `readiness` itself failed or did not answer, since then no check's result is known. */
export const READINESS_CHECK = 'readiness';

/** The body of /readyz. */
export interface ReadyzBody {
  ready: boolean;
  checks: Record<string, ReadinessCheck>;
}

const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

interface Reply {
  status: number;
  type: string;
  body: string;
}

/** The request's path without its query; undefined for a request target no URL parser accepts (`http://[`), which is not ours to answer. */
function pathOf(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

const text = (status: number, body: string): Reply => ({ status, type: 'text/plain; charset=utf-8', body });

/** Runs the checks within the time limit; a rejection, a timeout or a malformed answer is a failed `readiness` check, never a throw. */
export async function readinessReport(readiness: Readiness, timeoutMs: number): Promise<ReadyzBody> {
  let checks: Record<string, ReadinessCheck>;
  try {
    const answer = await within(readiness, timeoutMs, 'the readiness checks');
    checks = Object.fromEntries(
      Object.entries(answer).map(([name, check]) => [
        name,
        { ok: check?.ok === true, ...(check?.detail !== undefined ? { detail: String(check.detail) } : {}) },
      ]),
    );
  } catch (error) {
    checks = { [READINESS_CHECK]: { ok: false, detail: error instanceof Error ? error.message : String(error) } };
  }
  return { ready: Object.values(checks).every((check) => check.ok), checks };
}

export function createOpsRoutes(options: OpsRoutesOptions): (request: IncomingMessage, response: ServerResponse) => boolean {
  const timeoutMs = options.readinessTimeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS;

  async function reply(path: string): Promise<Reply> {
    if (path === '/healthz') return text(200, 'ok\n');
    if (path === '/readyz') {
      const report = await readinessReport(options.readiness, timeoutMs);
      return { status: report.ready ? 200 : 503, type: 'application/json; charset=utf-8', body: `${JSON.stringify(report)}\n` };
    }
    const { registry } = options.metrics;
    return { status: 200, type: registry.contentType, body: await registry.metrics() };
  }

  return (request, response) => {
    const path = pathOf(request.url);
    if (path === undefined || !OPS_PATHS.has(path)) return false;
    const head = request.method === 'HEAD';
    const send = ({ status, type, body }: Reply, extra: Record<string, string> = {}) =>
      response
        .writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...extra })
        .end(head ? undefined : body);
    if (request.method !== 'GET' && !head) {
      send(text(405, 'method not allowed\n'), { allow: 'GET, HEAD' });
      return true;
    }
    void reply(path)
      .then((answer) => send(answer))
      .catch((error: unknown) => {
        // A collector failed (only /metrics can): answer 500 rather than leave the scrape hanging.
        if (response.headersSent) response.destroy();
        else send(text(500, `${error instanceof Error ? error.message : String(error)}\n`));
      })
      // The connection went away while we answered: nothing is left to tell anyone.
      .catch(() => response.destroy());
    return true;
  };
}
