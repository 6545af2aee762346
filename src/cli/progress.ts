// A progress bar on stderr for long indexing, shown only on a terminal so logs stay clean.
import cliProgress from 'cli-progress';
import type { IndexProgress } from '../retrieve/open-index.js';

export function indexProgressBar(stream: NodeJS.WriteStream = process.stderr): { onProgress: IndexProgress; stop: () => void } {
  if (!stream.isTTY) return { onProgress: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream, format: '{phase} [{bar}] {value}/{total}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let phase: string | undefined;
  return {
    onProgress: (next, done, total) => {
      const label = next === 'train' ? 'training default embedder' : 'embedding corpus';
      if (phase !== label) {
        if (phase) bar.stop();
        bar.start(total, done, { phase: label });
        phase = label;
      } else {
        bar.update(done);
      }
    },
    stop: () => {
      if (phase) bar.stop();
      phase = undefined;
    },
  };
}
