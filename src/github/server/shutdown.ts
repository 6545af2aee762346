// Graceful shutdown on SIGTERM or SIGINT (a deploy, `docker stop`): stop accepting webhooks, stop
// taking jobs, give running jobs the grace period, then hand back what is left (Redis: another
// worker takes it; in process: its check run is completed as cancelled). A second signal exits at once.
import type { Server } from 'node:http';
import type { Logger } from '../../log/logger.js';
import type { JobQueue } from '../queue/job-queue.js';

export function stopGracefully(parts: { servers: readonly Server[]; queue: JobQueue; log: Logger; graceMs?: number }): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      parts.log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    parts.log.info({ signal }, 'shutting down: no new webhooks or jobs; finishing the running ones');
    for (const server of parts.servers) server.close();
    void parts.queue.close(parts.graceMs).then(
      () => process.exit(0),
      (error: unknown) => {
        parts.log.error({ err: error }, 'shutdown did not complete cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
