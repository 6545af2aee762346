// Which embedder to index with: the embedded default (trained from the corpus) or a pretrained
// model folder (`onnx:<dir>`), as users name it on the command line or in config.
import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { UnknownEmbedderError } from './errors.js';

export type EmbedderChoice = { kind: 'default' } | { kind: 'onnx'; dir: string };

export function parseEmbedderChoice(value: string): EmbedderChoice {
  if (value === 'default') return { kind: 'default' };
  if (value.startsWith('onnx:') && value.length > 'onnx:'.length) return { kind: 'onnx', dir: resolve(value.slice('onnx:'.length)) };
  throw new UnknownEmbedderError(value);
}

/** Folder name under the corpus's `.index/` for this embedder's vectors. */
export function embedderKey(choice: EmbedderChoice): string {
  if (choice.kind === 'default') return 'default';
  const safe = basename(choice.dir).replace(/[^A-Za-z0-9._-]/g, '_');
  return `onnx-${safe}-${createHash('sha256').update(choice.dir).digest('hex').slice(0, 8)}`;
}
