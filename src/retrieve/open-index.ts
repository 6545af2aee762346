// Opens everything retrieval needs for a corpus folder: the entries, the embedder, the persisted
// vector index (reused, extended with new entries, or rebuilt with the reason said), and BM25.
import { join } from 'node:path';
import type { CorpusEntry } from '../corpus/entry.js';
import type { LineProblem } from '../corpus/jsonl.js';
import { LocalCorpusStore } from '../corpus/local-store.js';
import { DefaultEmbedder } from '../embed/default-embedder.js';
import { OnnxEmbedder } from '../embed/onnx-embedder.js';
import type { Embedder } from '../embed/types.js';
import { HnswVectorIndex, type HnswOptions } from '../index/hnsw-index.js';
import { Bm25Index } from './bm25.js';
import { classifierFor } from './classifier-store.js';
import { corpusHash } from '../corpus/hash.js';
import { readCweExamples } from '../corpus/cwe-examples.js';
import { embedderKey, type EmbedderChoice } from './embedder-choice.js';
import type { CweClassifier } from './cwe-classifier.js';
import { judgeManifest, readIndexManifest, writeIndexManifest } from './index-manifest.js';
import { Retriever, type RetrievalMode } from './retriever.js';
import { readAudit, retiredIds } from '../corpus/audit.js';
import { acceptanceByEntry, readFeedback } from '../corpus/feedback.js';
import { acceptancePrior } from './acceptance-prior.js';
import { defaultIndexRoot, writableFolder } from './index-location.js';

export { INDEX_FOLDER } from './index-location.js';

/** The default embedder is retrained once the corpus has grown by this factor since training. */
const DEFAULT_RETRAIN_GROWTH = 1.5;

export type IndexProgress = (phase: 'train' | 'embed', done: number, total: number) => void;

export interface OpenIndexOptions {
  corpusDir: string;
  embedder?: EmbedderChoice;
  /** Ignore whatever is persisted and build from scratch. */
  rebuild?: boolean;
  /** Do not write the index back (read-only corpus folders). */
  persist?: boolean;
  /** Where the index is kept (default `defaultIndexRoot`: the corpus's `.index/`, or the cache for the bundled seed). */
  indexRoot?: string;
  hnsw?: HnswOptions;
  onProgress?: IndexProgress;
}

export interface IndexStatus {
  action: 'loaded' | 'extended' | 'built';
  /** Why it was rebuilt or extended, for the user. */
  reason?: string;
  embedded: number;
  dir: string;
  /** Why the index was built in memory only and not saved (its folder cannot be written), if so. */
  notSaved?: string;
}

export interface RetrievalIndex {
  entries: CorpusEntry[];
  problems: LineProblem[];
  embedder: Embedder;
  vectors: HnswVectorIndex;
  bm25: Bm25Index;
  /** Predicts a query's likely CWE from the labels of the live entries; undefined when they have fewer than two CWEs. */
  classifier: CweClassifier | undefined;
  /** Entries retired through the audit trail: in the file and the vectors, never retrieved. */
  retired: Set<string>;
  /** The ranking prior from the feedback on posted suggestions; undefined when there is none. */
  prior: ((entryId: string) => number) | undefined;
  status: IndexStatus;
}

/** Why the saved default embedder cannot serve this corpus, or undefined when it can. */
function retrainReason(trained: { entries: number; corpusHash: string }, entries: CorpusEntry[]): string | undefined {
  if (trained.entries > entries.length) return `the corpus shrank from ${trained.entries} to ${entries.length} entries`;
  if (corpusHash(entries.slice(0, trained.entries)) !== trained.corpusHash) return 'corpus entries it was trained on changed';
  if (entries.length >= trained.entries * DEFAULT_RETRAIN_GROWTH) return `the corpus grew from ${trained.entries} to ${entries.length} entries`;
  return undefined;
}

async function defaultEmbedderFor(
  entries: CorpusEntry[],
  dir: string,
  options: OpenIndexOptions & { persist: boolean },
): Promise<{ embedder: DefaultEmbedder; retrainedBecause?: string }> {
  const embedderDir = join(dir, 'embedder');
  let retrainedBecause = 'rebuild requested';
  if (!options.rebuild) {
    const saved = await DefaultEmbedder.load(embedderDir).catch(() => undefined);
    if (saved) {
      const reason = retrainReason(saved.trainedOn, entries);
      if (reason === undefined) return { embedder: saved };
      retrainedBecause = `default embedder retrained: ${reason}`;
    } else {
      retrainedBecause = 'no trained default embedder yet';
    }
  }
  options.onProgress?.('train', 0, 1);
  const embedder = await DefaultEmbedder.train(
    entries.map((entry) => entry.code),
    { entries: entries.length, corpusHash: corpusHash(entries) },
  );
  options.onProgress?.('train', 1, 1);
  if (options.persist) await embedder.save(embedderDir);
  return { embedder, retrainedBecause };
}

async function embedAll(embedder: Embedder, entries: CorpusEntry[], onProgress?: IndexProgress): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  const step = 256;
  for (let start = 0; start < entries.length; start += step) {
    onProgress?.('embed', start, entries.length);
    vectors.push(...(await embedder.embed(entries.slice(start, start + step).map((entry) => entry.code))));
  }
  onProgress?.('embed', entries.length, entries.length);
  return vectors;
}

export async function openRetrievalIndex(options: OpenIndexOptions): Promise<RetrievalIndex> {
  const store = new LocalCorpusStore(options.corpusDir);
  const { entries, problems } = await store.read();
  const choice = options.embedder ?? { kind: 'default' };
  const root = options.indexRoot ?? defaultIndexRoot(store.dir);
  const dir = join(root, embedderKey(choice));
  // An index that cannot be saved still serves this run; the user is told why it will be built again.
  const notSaved = options.persist === false ? undefined : await writableFolder(root);
  const persist = options.persist !== false && notSaved === undefined;
  const chosen: { embedder: Embedder; retrainedBecause?: string } =
    choice.kind === 'default' ? await defaultEmbedderFor(entries, dir, { ...options, persist }) : { embedder: await OnnxEmbedder.load(choice.dir) };
  const { embedder } = chosen;

  const manifest = options.rebuild ? undefined : await readIndexManifest(dir);
  let verdict = judgeManifest(manifest, entries, embedder);
  let vectors: HnswVectorIndex | undefined;
  if (verdict.action !== 'rebuild') {
    vectors = await HnswVectorIndex.load(dir).catch((error: Error) => {
      verdict = { action: 'rebuild', reason: `saved vectors unreadable (${error.message})` };
      return undefined;
    });
    // A crash between writing the vectors and the manifest leaves them disagreeing.
    if (vectors && vectors.size !== manifest?.entryIds.length) {
      verdict = { action: 'rebuild', reason: `saved vectors (${vectors.size}) do not match the manifest` };
      vectors = undefined;
    }
  }
  let status: IndexStatus;
  if (vectors && verdict.action === 'use') {
    status = { action: 'loaded', embedded: 0, dir };
  } else if (vectors && verdict.action === 'extend') {
    const added = entries.slice(verdict.from);
    vectors.add(await embedAll(embedder, added, options.onProgress));
    status = { action: 'extended', reason: `${added.length} new corpus entries`, embedded: added.length, dir };
  } else {
    vectors = new HnswVectorIndex(embedder.dim, options.hnsw);
    vectors.add(await embedAll(embedder, entries, options.onProgress));
    // A retrained default embedder changes the id; the cause the user can act on is why it retrained.
    const reason = options.rebuild ? 'rebuild requested' : (chosen.retrainedBecause ?? (verdict.action === 'rebuild' ? verdict.reason : undefined));
    status = { action: 'built', reason, embedded: entries.length, dir };
  }
  if (notSaved) status.notSaved = notSaved;
  if (status.action !== 'loaded' && persist) {
    await vectors.save(dir);
    await writeIndexManifest(dir, {
      embedderId: embedder.id,
      dim: embedder.dim,
      corpusHash: corpusHash(entries),
      entryIds: entries.map((entry) => entry.id),
    });
  }
  const bm25 = new Bm25Index();
  bm25.add(entries.map((entry) => entry.code));
  const examples = await readCweExamples(store.dir);
  // Retiring an entry leaves the corpus file, the embedder and the vectors as they are (the
  // retriever skips it); only the classifier, cheap to train, learns without it.
  const retired = retiredIds((await readAudit(store)).records);
  const live = retired.size === 0 ? entries : entries.filter((entry) => !retired.has(entry.id));
  const classifier = await classifierFor(live, persist ? dir : undefined, examples);
  const prior = acceptancePrior(acceptanceByEntry((await readFeedback(store)).records));
  return { entries, problems, embedder, vectors, bm25, classifier, status, retired, prior };
}

/** A retriever over an opened index, ranking in `mode`. */
export function retrieverFor(index: RetrievalIndex, mode: RetrievalMode): Retriever {
  return new Retriever(index.entries, index.embedder, index.vectors, index.bm25, {
    mode,
    classifier: index.classifier,
    retired: index.retired,
    prior: index.prior,
  });
}
