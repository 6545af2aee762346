// Shared by the commands that retrieve: open the index for the chosen corpus and embedder, tell
// the user (on stderr) what was rebuilt and why, and hand back a Retriever.
import { formatProblem } from '../corpus/jsonl.js';
import { parseEmbedderChoice } from '../retrieve/embedder-choice.js';
import { openRetrievalIndex, retrieverFor, type RetrievalIndex } from '../retrieve/open-index.js';
import { RETRIEVAL_MODES, type RetrievalMode } from '../retrieve/retriever.js';
import { resolveCorpusDir } from '../corpus/location.js';
import { indexProgressBar } from './progress.js';
import { UsageError } from './usage-error.js';

export interface IndexCliOptions {
  corpus?: string;
  embedder?: string;
  rebuild?: boolean;
}

export async function openIndexForCli(options: IndexCliOptions): Promise<RetrievalIndex> {
  const progress = indexProgressBar();
  try {
    const index = await openRetrievalIndex({
      corpusDir: resolveCorpusDir(options.corpus),
      embedder: parseEmbedderChoice(options.embedder ?? 'default'),
      rebuild: options.rebuild,
      onProgress: progress.onProgress,
    });
    progress.stop();
    for (const problem of index.problems) console.error(`warning: ${formatProblem(problem)}`);
    if (index.status.notSaved) console.error(`warning: the index is not saved and will be built again next time: ${index.status.notSaved}`);
    const { status } = index;
    if (status.action !== 'loaded') {
      console.error(`index ${status.action}${status.reason ? ` (${status.reason})` : ''}: ${status.embedded} entries embedded with ${index.embedder.id}`);
    }
    return index;
  } finally {
    progress.stop();
  }
}

export function parseMode(value: string): RetrievalMode {
  if ((RETRIEVAL_MODES as readonly string[]).includes(value)) return value as RetrievalMode;
  throw new UsageError(`invalid --mode ${JSON.stringify(value)}: use one of ${RETRIEVAL_MODES.join(', ')}`);
}

export { retrieverFor };
