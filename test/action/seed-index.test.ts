// The seed corpus's index shipped with the Action (src/action/seed-corpus.ts): run() copies it with
// the seed to RUNNER_TEMP and the review opens it without training or embedding anything; a
// shipped index that is damaged or does not belong to the corpus is rebuilt in the copy, and the
// Action's own folder is never written. The seed here is a small fixture corpus whose index is
// built by `openRetrievalIndex`, as scripts/build-action.mjs builds the real one. What was rebuilt
// is observed by counting calls to what builds it: the default embedder's training, the CWE
// classifier's training, and adding vectors to the vector index.
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MODEL_API_KEY_ENV } from '../../src/action/inputs.js';
import { run } from '../../src/action/run.js';
import { SEED_INDEX_DIR } from '../../src/action/seed-corpus.js';
import { CWE_EXAMPLES_FILE, serializeCweExample, type CweExample } from '../../src/corpus/cwe-examples.js';
import { CORPUS_FILE } from '../../src/corpus/local-store.js';
import { DefaultEmbedder } from '../../src/embed/default-embedder.js';
import { HnswVectorIndex } from '../../src/index/hnsw-index.js';
import { CweClassifier } from '../../src/retrieve/cwe-classifier.js';
import { openRetrievalIndex } from '../../src/retrieve/open-index.js';
import { pullRequestOpened } from '../fixtures/github/app-events.js';
import { appendEntries, snippetEntries, tempDirs } from '../fixtures/retrieval-corpus.js';
import { SNIPPETS } from '../fixtures/secure-snippets.js';
import { useHttpMocks } from '../helpers/http-mocks.js';
import { Bodies, MODEL_NAME, MODEL_URL, NOW, mockConfig } from '../github/app/harness.js';
import { readOutputs, runnerEnv, type RunnerFiles } from './runner-env.js';
import { MODEL_KEY, mockModel, mockPullRequestReads } from './review-mocks.js';

useHttpMocks();

const SARIF_FOLDER = join(import.meta.dirname, '..', 'fixtures', 'action', 'sarif');
const temp = tempDirs('seccoder-action-seed-');
/** A seed corpus folder as the bundle ships it: the corpus, the classifier's examples, NOTICE and the index built from them. */
let shipped: string;
/** The same corpus in reverse order: a different corpus hash, so its index belongs to another corpus. */
let reversed: string;
let stdout: string[] = [];
const startDir = process.cwd();
const cleanups: (() => void)[] = [];

const EXAMPLES: CweExample[] = [
  {
    kind: 'vulnerable',
    language: 'python',
    cwe: ['CWE-89'],
    code: 'def find(db, name):\n    return db.execute("SELECT * FROM users WHERE name = \'%s\'" % name)',
    source: { dataset: 'fixture' },
  },
  { kind: 'vulnerable', language: 'python', cwe: ['CWE-78'], code: 'def ping(host):\n    os.system("ping -c 1 " + host)', source: { dataset: 'fixture' } },
];

async function seedFolder(entries: Awaited<ReturnType<typeof snippetEntries>>): Promise<string> {
  const dir = temp.make();
  await appendEntries(dir, entries);
  await writeFile(join(dir, CWE_EXAMPLES_FILE), EXAMPLES.map((example) => `${serializeCweExample(example)}\n`).join(''));
  await writeFile(join(dir, 'NOTICE'), 'Fixture seed corpus.\n');
  await openRetrievalIndex({ corpusDir: dir });
  return dir;
}

beforeAll(async () => {
  const entries = await snippetEntries(SNIPPETS);
  shipped = await seedFolder(entries);
  reversed = await seedFolder([...entries].reverse());
});
afterAll(() => temp.cleanup());

beforeEach(() => {
  stdout = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
});
afterEach(() => {
  process.chdir(startDir);
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  delete process.env[MODEL_API_KEY_ENV];
  process.exitCode = undefined;
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Every file below `dir` (relative path → sha256 of its bytes). */
function filesOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return files;
}

/** A copy of the shipped seed folder, to damage. */
function shippedCopy(): string {
  const dir = temp.make();
  cpSync(shipped, dir, { recursive: true });
  return dir;
}

/** Counts of what building an index does. */
function countBuilds() {
  return {
    embedderTrained: vi.spyOn(DefaultEmbedder, 'train'),
    classifierTrained: vi.spyOn(CweClassifier, 'train'),
    vectorsAdded: vi.spyOn(HnswVectorIndex.prototype, 'add'),
  };
}

/**
 * One dry-run review of the fixture pull request with no `corpus` input, so the corpus is the seed
 * (`seedCorpusDir`); the workspace has no corpus/ folder. Returns the runner's files.
 */
async function reviewWithSeed(seedCorpusDir: string, files?: RunnerFiles): Promise<RunnerFiles> {
  let runnerFiles = files;
  if (!runnerFiles) {
    const setup = runnerEnv({
      eventName: 'pull_request',
      payload: pullRequestOpened(),
      inputs: {
        'github-token': 'ghs_workflow_token',
        sarif: SARIF_FOLDER,
        'model-url': MODEL_URL,
        model: MODEL_NAME,
        'model-api-key': MODEL_KEY,
        config: '.github/seccoder.yml',
        corpus: '',
        'max-targets': '',
        'dry-run': 'true',
        'bot-login': 'github-actions[bot]',
      },
    });
    cleanups.push(setup.cleanup);
    for (const [name, value] of Object.entries(setup.env)) vi.stubEnv(name, value);
    runnerFiles = setup.files;
  }
  // The runner starts the Action in the workspace, whose ./corpus (none here) comes before the seed.
  process.chdir(runnerFiles.workspace);
  vi.stubEnv('SECCODER_CORPUS', '');
  mockConfig();
  mockPullRequestReads();
  mockModel(new Bodies());
  await run({ analyzers: [], octokit: { retry: false, throttle: false }, seedCorpusDir });
  expect(
    stdout
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('::error::')),
  ).toEqual([]);
  // The review ran with a demonstration from the seed corpus and suggested the rewrite.
  expect(readOutputs(runnerFiles.outputFile).suggestions).toBe('1');
  // Each run used its own mocks (the optional ones it did not need go, so a next run cannot take them).
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
  return runnerFiles;
}

const copyOf = (files: RunnerFiles) => join(files.runnerTemp, 'seccoder', 'seed-corpus');
const indexOf = (dir: string) => join(dir, SEED_INDEX_DIR);

describe('the seed corpus with the index shipped beside it', () => {
  it('is copied to RUNNER_TEMP with the index, which is opened as it is (nothing trained or embedded), run after run', async () => {
    const before = filesOf(shipped);
    const builds = countBuilds();

    const files = await reviewWithSeed(shipped);
    expect(stdout.join('')).toContain('Seed corpus: using the index built with the Action');
    // A run a second time in the same RUNNER_TEMP starts again from the shipped index.
    await reviewWithSeed(shipped, files);

    expect(builds.embedderTrained).not.toHaveBeenCalled();
    expect(builds.classifierTrained).not.toHaveBeenCalled();
    expect(builds.vectorsAdded).not.toHaveBeenCalled();
    // Not rewritten either: the copy holds exactly the shipped files (a rebuild writes a new manifest time).
    expect(filesOf(indexOf(copyOf(files)))).toEqual(filesOf(indexOf(shipped)));
    expect(filesOf(shipped)).toEqual(before);
  });

  it.each([
    {
      damage: 'the vectors damaged (one byte changed)',
      apply: (dir: string) => {
        const path = join(indexOf(dir), 'vectors.f32');
        const bytes = readFileSync(path);
        bytes[7] = (bytes[7] ?? 0) ^ 0xff;
        writeFileSync(path, bytes);
      },
      rebuilt: { embedder: 0, classifier: 0, vectors: 1 },
    },
    {
      damage: 'the index manifest claiming another corpus',
      apply: (dir: string) => {
        const path = join(indexOf(dir), 'manifest.json');
        const manifest = JSON.parse(readFileSync(path, 'utf8'));
        writeFileSync(path, JSON.stringify({ ...manifest, corpusHash: createHash('sha256').update('another corpus').digest('hex') }));
      },
      rebuilt: { embedder: 0, classifier: 0, vectors: 1 },
    },
    {
      damage: 'the classifier cut short',
      apply: (dir: string) => {
        const path = join(indexOf(dir), 'cwe-classifier.json');
        writeFileSync(path, readFileSync(path).subarray(0, 1000));
      },
      rebuilt: { embedder: 0, classifier: 1, vectors: 0 },
    },
    {
      damage: 'the whole index built from another corpus (the same entries in another order)',
      apply: (dir: string) => cpSync(indexOf(reversed), indexOf(dir), { recursive: true }),
      rebuilt: { embedder: 1, classifier: 1, vectors: 1 },
    },
    {
      damage: 'the embedder model of another corpus beside this vocabulary',
      apply: (dir: string) => cpSync(join(indexOf(reversed), 'embedder', 'model.onnx'), join(indexOf(dir), 'embedder', 'model.onnx')),
      // Retrained on the same corpus it is the same model again (its id is its hash), so the vectors still match it.
      rebuilt: { embedder: 1, classifier: 0, vectors: 0 },
    },
  ])('with $damage: rebuilt in the copy as needed, the seed folder left as it is', async ({ apply, rebuilt }) => {
    const seed = shippedCopy();
    apply(seed);
    const before = filesOf(seed);
    const builds = countBuilds();

    const files = await reviewWithSeed(seed);

    expect(builds.embedderTrained).toHaveBeenCalledTimes(rebuilt.embedder);
    expect(builds.classifierTrained).toHaveBeenCalledTimes(rebuilt.classifier);
    expect(builds.vectorsAdded).toHaveBeenCalledTimes(rebuilt.vectors);
    expect(filesOf(seed)).toEqual(before);
    // The copy now holds a sound index of its corpus: opened again, nothing is rebuilt.
    vi.restoreAllMocks();
    const again = countBuilds();
    const reopened = await openRetrievalIndex({ corpusDir: copyOf(files) });
    expect(reopened.status.action).toBe('loaded');
    expect(again.embedderTrained).not.toHaveBeenCalled();
    expect(again.classifierTrained).not.toHaveBeenCalled();
    expect(again.vectorsAdded).not.toHaveBeenCalled();
    expect(reopened.vectors.size).toBe(SNIPPETS.length);
  });

  it('with no index shipped: built on the runner, and the log says so', async () => {
    const seed = temp.make();
    for (const file of [CORPUS_FILE, CWE_EXAMPLES_FILE, 'NOTICE']) cpSync(join(shipped, file), join(seed, file));
    const builds = countBuilds();

    const files = await reviewWithSeed(seed);

    expect(stdout.join('')).toContain('Seed corpus: no index shipped with the Action; building it on this runner');
    expect(builds.embedderTrained).toHaveBeenCalledTimes(1);
    expect(builds.classifierTrained).toHaveBeenCalledTimes(1);
    expect(builds.vectorsAdded).toHaveBeenCalledTimes(1);
    expect(readdirSync(seed).sort()).toEqual([CORPUS_FILE, CWE_EXAMPLES_FILE, 'NOTICE'].sort());
    expect(await readFile(join(copyOf(files), CORPUS_FILE), 'utf8')).toBe(await readFile(join(seed, CORPUS_FILE), 'utf8'));
  });
});
