// The BUILT Action (action/dist/index.js, as committed) run the way the runner runs it: `node` in a
// child process, inputs and event through the environment, GITHUB_API_URL and the model URL at a
// local HTTP server standing in for GitHub and the model. A dry run reviews the fixture pull
// request with the seed corpus shipped in the bundle, which needs every file the bundle carries
// outside index.js: onnxruntime-node and hnswlib-node's native addons (the seed's index, shipped
// prebuilt, and the queries' embeddings), the tree-sitter runtime and Python grammar (function
// extraction), the prompt templates and the corpus with its index. A bundle whose shipped index is
// damaged still reviews, with the index rebuilt on the runner.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullRequestOpened, VIEWS, VIEWS_DIFF, VIEWS_LISTED, VIEWS_PATH, contentOf, HEAD_SHA } from '../fixtures/github/app-events.js';
import { fencedReply, FIXED_FUNCTION, chatCompletion } from '../fixtures/review/flask-app.js';
import { readOutputs, runnerEnv } from './runner-env.js';

const run = promisify(execFile);
const DIST = join(import.meta.dirname, '..', '..', 'action', 'dist');
const SARIF_FOLDER = join(import.meta.dirname, '..', 'fixtures', 'action', 'sarif');
/** The seed corpus's index in the bundle (built by scripts/build-action.mjs), below its corpus folder. */
const SEED_INDEX = join('.index', 'default');

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

interface Seen {
  method: string;
  url: string;
  accept: string;
  authorization: string;
  body: string;
}

/** GitHub's and the model's answers for the dry run, by `METHOD path?query`; anything else is a 404 and recorded. */
function routes(req: IncomingMessage): { status: number; body: unknown; type?: string } | undefined {
  const pull = '/repos/acme/shop/pulls/12';
  const key = `${req.method} ${req.url}`;
  const accept = req.headers.accept ?? '';
  if (key === `GET ${pull}` && accept.includes('diff')) return { status: 200, body: VIEWS_DIFF, type: 'text/plain' };
  const table: Record<string, { status: number; body: unknown }> = {
    'GET /repos/acme/shop/contents/.github%2Fseccoder.yml': { status: 404, body: { message: 'Not Found' } },
    'GET /repos/acme/.github/contents/.github%2Fseccoder.yml': { status: 404, body: { message: 'Not Found' } },
    [`GET ${pull}/files?per_page=100`]: { status: 200, body: [VIEWS_LISTED] },
    [`GET /repos/acme/shop/contents/app%2Fviews.py?ref=${HEAD_SHA}`]: { status: 200, body: contentOf(VIEWS_PATH, VIEWS) },
    [`GET ${pull}/comments?per_page=100`]: { status: 200, body: [] },
    [`GET ${pull}/reviews?per_page=100`]: { status: 200, body: [] },
    'POST /v1/chat/completions': { status: 200, body: chatCompletion(...[0, 1, 2].map(() => fencedReply(FIXED_FUNCTION))) },
  };
  return table[key];
}

let server: Server;
let origin: string;
const seen: Seen[] = [];
const unexpected: string[] = [];
/** A copy of action/dist outside the repository, where no node_modules of the repository can stand in for what it ships. */
let copy: { dir: string; bundle: string };

beforeAll(async () => {
  if (!existsSync(join(DIST, 'index.js'))) throw new Error('action/dist/index.js is missing: run npm run build:action');
  const dir = mkdtempSync(join(tmpdir(), 'seccoder-action-dist-'));
  cpSync(DIST, dir, { recursive: true });
  copy = { dir, bundle: join(dir, 'index.js') };
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        accept: req.headers.accept ?? '',
        authorization: req.headers.authorization ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const answer = routes(req);
      if (!answer) unexpected.push(`${req.method} ${req.url}`);
      const { status, body, type } = answer ?? { status: 404, body: { message: 'Not Found' } };
      res.writeHead(status, { 'content-type': type ?? 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(copy.dir, { recursive: true, force: true });
});

/** The child's environment: only what the runner gives an action (no SECCODER_* of this machine). */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env };
}

/** A dry run of the pull_request opened event by the bundle at `bundle`, as the runner starts it; fails on a non-zero exit. */
async function dryRun(bundle: string) {
  seen.length = 0;
  unexpected.length = 0;
  const { env, files, cleanup } = runnerEnv({
    eventName: 'pull_request',
    payload: pullRequestOpened(),
    inputs: {
      'github-token': 'ghs_workflow_token',
      sarif: 'sarif',
      'model-url': `${origin}/v1`,
      model: 'coder-7b',
      'model-api-key': 'sk-local',
      config: '.github/seccoder.yml',
      corpus: '',
      'max-targets': '',
      'dry-run': 'true',
      'bot-login': 'github-actions[bot]',
    },
    extra: { GITHUB_API_URL: origin },
  });
  try {
    cpSync(SARIF_FOLDER, join(files.workspace, 'sarif'), { recursive: true });
    const child = await run(process.execPath, [bundle], { cwd: files.workspace, env: childEnv(env), timeout: 120_000 }).catch(
      (error: { stdout?: string; stderr?: string; code?: number }) => {
        throw new Error(`the bundle exited with ${error.code}:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
      },
    );
    return { child, files, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}

describe('the built bundle, action/dist/index.js, copied out of the repository', () => {
  it('dry run of a pull_request opened event: loads its native modules, grammar, templates and seed corpus with its prebuilt index, and outputs the review it would post', async () => {
    const { child, files, cleanup } = await dryRun(copy.bundle);
    try {
      expect(child.stdout).not.toContain('::error::');
      expect(unexpected).toEqual([]);
      // Read only: nothing was written to GitHub.
      expect(seen.filter((request) => request.method !== 'GET' && !request.url.startsWith('/v1/'))).toEqual([]);
      const model = seen.find((request) => request.url === '/v1/chat/completions');
      expect(model?.authorization).toBe('Bearer sk-local');
      // The prompt holds the SARIF alert and a demonstration retrieved from the shipped seed corpus.
      expect(model?.body).toContain('py/sql-injection (CWE-89)');

      const outputs = readOutputs(files.outputFile);
      expect(outputs.suggestions).toBe('1');
      const report = JSON.parse(await readFile(outputs.report!, 'utf8'));
      expect(report).toMatchObject({
        kind: 'review',
        dryRun: true,
        result: { status: 'reviewed', posted: false, preview: { comments: [{ path: VIEWS_PATH }] } },
      });
      expect(report.result.preview.checkRun.summary).toMatch(/- Corpus: [\d,]+ secure examples/);
      expect(report.result.preview.checkRun.summary).not.toContain('- Corpus: 0 secure');
      // The seed's index shipped in the bundle was copied to RUNNER_TEMP and opened there as it is (a
      // rebuild would rewrite its manifest with this run's time); the Action's own files are untouched.
      expect(child.stdout).toContain('Seed corpus: using the index built with the Action');
      const shipped = filesOf(join(DIST, 'corpus', SEED_INDEX));
      expect(Object.keys(shipped)).toEqual(expect.arrayContaining(['manifest.json', 'vectors.f32', 'cwe-classifier.json', join('embedder', 'model.onnx')]));
      expect(filesOf(join(files.runnerTemp, 'seccoder', 'seed-corpus', SEED_INDEX))).toEqual(shipped);
      expect(filesOf(join(copy.dir, 'corpus', SEED_INDEX))).toEqual(shipped);
    } finally {
      cleanup();
    }
  });

  it('with the shipped index damaged (a byte of its vectors changed): the review still runs, on an index rebuilt in RUNNER_TEMP', async () => {
    const damaged = mkdtempSync(join(tmpdir(), 'seccoder-action-dist-damaged-'));
    cpSync(copy.dir, damaged, { recursive: true });
    const vectorsFile = join(damaged, 'corpus', SEED_INDEX, 'vectors.f32');
    const bytes = readFileSync(vectorsFile);
    bytes[11] = (bytes[11] ?? 0) ^ 0xff;
    writeFileSync(vectorsFile, bytes);
    const before = filesOf(join(damaged, 'corpus', SEED_INDEX));
    const { child, files, cleanup } = await dryRun(join(damaged, 'index.js'));
    try {
      expect(child.stdout).not.toContain('::error::');
      expect(unexpected).toEqual([]);
      expect(readOutputs(files.outputFile).suggestions).toBe('1');
      const rebuilt = join(files.runnerTemp, 'seccoder', 'seed-corpus', SEED_INDEX);
      // New vectors, whose checksum index.json now holds, and a manifest written by this run.
      const vectors = readFileSync(join(rebuilt, 'vectors.f32'));
      expect(vectors.equals(bytes)).toBe(false);
      expect(JSON.parse(readFileSync(join(rebuilt, 'index.json'), 'utf8')).checksums.vectors).toBe(crc32(vectors));
      const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      expect(manifest(rebuilt).updatedAt).not.toBe(manifest(join(DIST, 'corpus', SEED_INDEX)).updatedAt);
      expect(manifest(rebuilt).corpusHash).toBe(manifest(join(DIST, 'corpus', SEED_INDEX)).corpusHash);
      // What the embedder and the classifier were trained on still matched: they were not rewritten.
      for (const file of ['cwe-classifier.json', join('embedder', 'model.onnx'), join('embedder', 'vocabulary.json')]) {
        expect(filesOf(rebuilt)[file]).toBe(before[file]);
      }
      expect(filesOf(join(damaged, 'corpus', SEED_INDEX))).toEqual(before);
    } finally {
      cleanup();
      rmSync(damaged, { recursive: true, force: true });
    }
  });

  it("with the shipped classifier missing: trains it again from the bundle's reduced CWE archive, to the very same model", async () => {
    const bare = mkdtempSync(join(tmpdir(), 'seccoder-action-dist-no-classifier-'));
    cpSync(copy.dir, bare, { recursive: true });
    rmSync(join(bare, 'corpus', SEED_INDEX, 'cwe-classifier.json'));
    // Only the reduced archive is there to read MITRE's documents from.
    expect(statSync(join(bare, 'packages', 'cwe-sdk', 'raw', 'cwe-archive.xml')).size).toBeLessThan(3_000_000);
    const { child, files, cleanup } = await dryRun(join(bare, 'index.js'));
    try {
      expect(child.stdout).not.toContain('::error::');
      expect(readOutputs(files.outputFile).suggestions).toBe('1');
      const retrained = readFileSync(join(files.runnerTemp, 'seccoder', 'seed-corpus', SEED_INDEX, 'cwe-classifier.json'), 'utf8');
      expect(retrained).toBe(readFileSync(join(DIST, 'corpus', SEED_INDEX, 'cwe-classifier.json'), 'utf8'));
    } finally {
      cleanup();
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('without an event file: fails the step cleanly, naming what is missing', async () => {
    const error = await run(process.execPath, [copy.bundle], { env: childEnv({ 'INPUT_GITHUB-TOKEN': 'ghs_x' }), timeout: 60_000 }).then(
      () => undefined,
      (failure: { code?: number; stdout?: string }) => failure,
    );
    expect(error?.code).toBe(1);
    expect(error?.stdout).toContain('::error::event: GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set');
  });
});
