// `seccoder corpus serve`: the corpus page (coverage, entries, audit trail, pending additions, and
// retire/restore) for one operator, on a loopback address of this machine. Writes go to the
// user's own corpus only; over the bundled seed (or with no corpus of the user's) the page is
// read-only and says so. The server itself is src/governance/serve-local.ts.
import type { Command } from 'commander';
import { SeedCorpusWriteError } from '../../corpus/errors.js';
import { LocalCorpusStore } from '../../corpus/local-store.js';
import { resolveCorpusDir, writableCorpusDir } from '../../corpus/location.js';
import { bugReport, userErrorLine } from '../../errors/seccoder-error.js';
import { DEFAULT_SERVE_HOST, DEFAULT_SERVE_PORT, serveCorpusPageLocally } from '../../governance/serve-local.js';
import { withCorpusOption, type CorpusOptions } from '../shared-options.js';
import { cliActor } from './cli-actor.js';
import { UsageError } from '../usage-error.js';

interface ServeOptions extends CorpusOptions {
  port: string;
  host: string;
}

/** The user's corpus to write to, or the corpus to read with why it is read-only. */
function chooseCorpus(option: string | undefined): { dir: string; writable: true } | { dir: string; writable: false; why: string } {
  try {
    return { dir: writableCorpusDir(option), writable: true };
  } catch (error) {
    if (!(error instanceof SeedCorpusWriteError)) throw error;
    return { dir: resolveCorpusDir(option), writable: false, why: error.message };
  }
}

function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerCorpusServeCommand(corpus: Command): void {
  withCorpusOption(corpus.command('serve'))
    .description(
      'serve the corpus page (coverage, entries, audit trail, pending additions; retire and restore) on a loopback address for one operator; ' +
        'read-only over the bundled seed',
    )
    .option('--port <n>', 'port to listen on (0: any free one)', String(DEFAULT_SERVE_PORT))
    .option('--host <address>', 'loopback address to listen on (127.0.0.1, ::1 or localhost; nothing else)', DEFAULT_SERVE_HOST)
    .action(async (options: ServeOptions) => {
      const port = Number(options.port);
      if (!/^\d+$/.test(options.port) || port > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got ${options.port}`);
      const chosen = chooseCorpus(options.corpus);
      const store = new LocalCorpusStore(chosen.dir);
      // Fail now, with the one-line reason, rather than on every request.
      await store.read();
      const server = await serveCorpusPageLocally({
        store,
        host: options.host,
        port,
        actor: cliActor(),
        canWrite: chosen.writable,
        ...(chosen.writable
          ? {}
          : { readOnlyNote: `Read-only: ${chosen.why}. Run seccoder corpus serve --corpus DIR with a corpus of your own to retire and restore.` }),
        onError: (error) => console.error(`seccoder: corpus page: ${userErrorLine(error) ?? bugReport(error)}`),
      });
      console.log(`corpus page for ${store.location}${chosen.writable ? '' : ' (read-only)'}: ${server.url}`);
      console.log('press Ctrl-C to stop');
      const signal = await waitForStopSignal();
      await server.close();
      console.log(`stopped (${signal})`);
    });
}
