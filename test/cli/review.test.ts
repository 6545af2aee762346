// `seccoder review --dry-run` run in-process (so nock stands in for GitHub and the model): it reads
// the pull request, the config and the changed files, and prints the review the App would post
// without writing anything. No write route is mocked: a write would be an unmatched request.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fencedReply, FIXED_FUNCTION, FIXED_LINE } from '../fixtures/review/flask-app.js';
import { appendEntries, snippetEntries, tempDirs } from '../fixtures/retrieval-corpus.js';
import { SNIPPETS } from '../fixtures/secure-snippets.js';
import { useHttpMocks } from '../helpers/http-mocks.js';
import { Bodies, mockConfig, mockModel, mockPullRequest, mockViewsGather, MODEL_NAME, MODEL_URL } from '../github/app/harness.js';

useHttpMocks();

const temp = tempDirs('seccoder-review-cli-');
let corpus: string;
let printed: string[];
let errors: string[];

beforeAll(async () => {
  corpus = temp.make();
  await appendEntries(corpus, await snippetEntries(SNIPPETS));
});
afterAll(() => temp.cleanup());

beforeEach(() => {
  printed = [];
  errors = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
  vi.stubEnv('GITHUB_TOKEN', 'ghp_test');
  vi.stubEnv('SECCODER_MODEL_URL', '');
  vi.stubEnv('SECCODER_MODEL', '');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function review(...args: string[]): Promise<number> {
  return main(['node', 'seccoder', 'review', '--repo', 'acme/shop', '--pr', '12', '--corpus', corpus, ...args]);
}

describe('seccoder review --dry-run', () => {
  it('prints the check run, the review body and the suggestion, and writes nothing', async () => {
    const bodies = new Bodies();
    mockPullRequest();
    mockConfig();
    mockViewsGather();
    mockModel(bodies, fencedReply(FIXED_FUNCTION));

    const code = await review('--dry-run', '--model-url', MODEL_URL, '--model', MODEL_NAME);

    // Only the index being built for the temp corpus; GitHub's 404 for the absent config is not noise on stderr.
    expect(errors.filter((line) => !line.startsWith('index '))).toEqual([]);
    expect(code).toBe(0);
    const output = printed.join('\n');
    expect(output).toContain('# Check run (neutral): 1 security suggestion (dry run, not posted)');
    expect(output).toContain('# Review body');
    // The one changed line, not the whole function (decorator and signature untouched).
    expect(output).toContain('# Comment on app/views.py:12');
    expect(output).toContain(`\`\`\`suggestion\n${FIXED_LINE}`);
    expect(output).not.toContain('```suggestion\n@app.route');
    // The prompt carried the function under review.
    expect(JSON.stringify(bodies.one('model'))).toContain('def user_by_email(email):');
  });

  it('with --json prints the result, whose preview is what would be posted', async () => {
    const bodies = new Bodies();
    mockPullRequest();
    mockConfig();
    mockViewsGather();
    mockModel(bodies, fencedReply(FIXED_FUNCTION));

    expect(await review('--dry-run', '--json', '--model-url', MODEL_URL, '--model', MODEL_NAME)).toBe(0);
    const result = JSON.parse(printed.join('\n')) as {
      status: string;
      posted: boolean;
      preview: { comments: { path: string; start_line: number; line: number; side: string }[] };
    };
    expect(result.status).toBe('reviewed');
    expect(result.posted).toBe(false);
    expect(result.preview.comments.map(({ path, start_line, line, side }) => ({ path, start_line, line, side }))).toEqual([
      { path: 'app/views.py', line: 12, side: 'RIGHT' },
    ]);
  });

  it('reports an invalid config with its keys', async () => {
    mockPullRequest();
    mockConfig('maxTargets: many\n');
    expect(await review('--dry-run')).toBe(0);
    expect(printed.join('\n')).toBe('.github/seccoder.yml is invalid:\n  maxTargets: must be a whole number, not text');
  });
});

describe('seccoder review: input errors', () => {
  it('names the token variable when it is not set', async () => {
    vi.stubEnv('GITHUB_TOKEN', '');
    expect(await review('--dry-run')).toBe(1);
    expect(errors).toEqual(['seccoder: no GitHub token: set GITHUB_TOKEN (or name another variable with --token-env)']);
  });

  it('rejects a repository that is not owner/name and a pull request that is not a number', async () => {
    expect(await main(['node', 'seccoder', 'review', '--repo', 'shop', '--pr', '12', '--dry-run'])).toBe(1);
    expect(await main(['node', 'seccoder', 'review', '--repo', 'acme/shop', '--pr', 'twelve', '--dry-run'])).toBe(1);
    expect(errors).toEqual(['seccoder: invalid --repo "shop": use owner/name', `seccoder: invalid --pr "twelve": use the pull request's number`]);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
