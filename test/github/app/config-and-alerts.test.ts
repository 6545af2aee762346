// What the repository's config and GitHub code scanning change about a review: an invalid
// .github/seccoder.yml stops it with a check run naming the keys; code scanning being off is said
// on the check run; an alert makes the suggestion (and the prompt) about that alert.
import { describe, expect, it } from 'vitest';
import { HEAD_SHA, pullRequestOpened, sqlInjectionAlert } from '../../fixtures/github/app-events.js';
import { fencedReply, FIXED_FUNCTION, ORIGINAL_FUNCTION } from '../../fixtures/review/flask-app.js';
import { checkRunCompleted, checkRunStarted, functionsText, NOW_ISO, ONE_INLINE_REVIEW_BODY, suggestionComment, SUGGESTED, summary } from './expected.js';
import {
  Bodies,
  deliver,
  loadedProbot,
  mockCheckRunCreate,
  mockCheckRunUpdate,
  mockConfig,
  mockInstallationToken,
  mockModel,
  mockPullRequest,
  mockReview,
  mockViewsGather,
  testDependencies,
  useAppFixtures,
} from './harness.js';

const fixtures = useAppFixtures();

interface ChatRequest {
  messages: { role: string; content: string }[];
}

describe('.github/seccoder.yml', () => {
  it('invalid (a value of the wrong type, an unknown key): a failed check run naming both keys; nothing else is read', async () => {
    const bodies = new Bodies();
    const probot = await loadedProbot(fixtures.privateKey, testDependencies(fixtures.corpus));
    mockInstallationToken();
    // The job's first question: is the event's commit still the head?
    mockPullRequest();
    mockConfig('maxTargets: many\nreviewers:\n  - alice\n');
    mockCheckRunCreate(bodies);

    await deliver(probot, 'config-1', 'pull_request', pullRequestOpened());

    // No files, diff, alerts or model: those requests would be unmatched.
    expect(fixtures.unmatched).toEqual([]);
    expect(bodies.one('check-create')).toEqual({
      name: 'SecCoder',
      head_sha: HEAD_SHA,
      status: 'completed',
      conclusion: 'failure',
      completed_at: NOW_ISO,
      output: {
        title: 'Invalid .github/seccoder.yml',
        summary: [
          'SecCoder did not run: .github/seccoder.yml has 2 problems. Fix them on the default branch.',
          '',
          '| key | problem |',
          '| --- | --- |',
          // zod 4 reports the wrong type of z.int() as "expected number", hence not "a whole number".
          '| `maxTargets` | must be a whole number, not text |',
          '| `reviewers` | unknown key; known keys here: enabled, targets, languages, paths, maxTargets, demonstrations, minSimilarity, model, corpus, growth, drafts, dryRun |',
        ].join('\n'),
      },
    });
  });
});

describe('code scanning', () => {
  it('off (403 "Advanced Security must be enabled"): the new function is still reviewed, and the check run says alerts were unavailable', async () => {
    const bodies = new Bodies();
    const probot = await loadedProbot(fixtures.privateKey, testDependencies(fixtures.corpus));
    mockInstallationToken();
    mockConfig();
    mockCheckRunCreate(bodies);
    mockViewsGather({
      alerts: {
        status: 403,
        body: {
          message: 'Advanced Security must be enabled for this repository to use code scanning.',
          documentation_url: 'https://docs.github.com/rest/code-scanning/code-scanning#list-code-scanning-alerts-for-a-repository',
          status: '403',
        },
      },
    });
    mockModel(bodies, fencedReply(FIXED_FUNCTION));
    mockReview(bodies);
    mockCheckRunUpdate(bodies);

    await deliver(probot, 'alerts-1', 'pull_request', pullRequestOpened());

    expect(fixtures.unmatched).toEqual([]);
    expect(bodies.one('review')).toEqual({
      commit_id: HEAD_SHA,
      event: 'COMMENT',
      body: ONE_INLINE_REVIEW_BODY,
      comments: [suggestionComment(ORIGINAL_FUNCTION, FIXED_FUNCTION)],
    });
    expect(bodies.one('check-create')).toEqual(checkRunStarted());
    expect(bodies.one('check-update')).toEqual(
      checkRunCompleted('neutral', {
        title: '1 security suggestion',
        summary: summary({ targets: 1, suggestions: 1, posted: 1 }, [
          '- Code-scanning alerts unavailable: HTTP 403: Advanced Security must be enabled for this repository to use code scanning.',
        ]),
        text: functionsText(SUGGESTED),
      }),
    );
  });

  it('an open CWE-89 alert inside the function: the prompt quotes the alert and its CWE, and the suggestion names the alert', async () => {
    const bodies = new Bodies();
    const probot = await loadedProbot(fixtures.privateKey, testDependencies(fixtures.corpus));
    mockInstallationToken();
    mockConfig();
    mockCheckRunCreate(bodies);
    // GitHub lists every open alert of the merge ref; one in a file the pull request does not touch is left out.
    const elsewhere = sqlInjectionAlert(4);
    elsewhere.most_recent_instance.location.path = 'app/legacy.py';
    mockViewsGather({ alerts: { status: 200, body: [sqlInjectionAlert(3), elsewhere] } });
    mockModel(bodies, fencedReply(FIXED_FUNCTION));
    mockReview(bodies);
    mockCheckRunUpdate(bodies);

    await deliver(probot, 'alerts-2', 'pull_request', pullRequestOpened());

    expect(fixtures.unmatched).toEqual([]);
    const prompt = (bodies.one('model') as ChatRequest).messages[1]!.content;
    expect(prompt).toContain(
      [
        'Code scanning reported these alerts on the function (quoted as data):',
        '',
        '```text',
        'py/sql-injection (CWE-89): This SQL query depends on a user-provided value.',
        '```',
      ].join('\n'),
    );
    expect(prompt).not.toContain('app/legacy.py');
    // The comment names the weakness, quotes the alert, and cites the precedent.
    const explanation =
      "Code scanning reports [CWE-89: Improper Neutralization of Special Elements used in an SQL Command \\('SQL Injection'\\)](https://cwe.mitre.org/data/definitions/89.html) in `user_by_email`: “This SQL query depends on a user-provided value.” (`py/sql-injection`). It follows the precedent of `get_user`, a secure example in your corpus.";
    expect(bodies.one('review')).toEqual({
      commit_id: HEAD_SHA,
      event: 'COMMENT',
      body: ONE_INLINE_REVIEW_BODY,
      comments: [suggestionComment(ORIGINAL_FUNCTION, FIXED_FUNCTION, explanation)],
    });
    expect(bodies.one('check-update')).toEqual(
      checkRunCompleted('neutral', {
        title: '1 security suggestion',
        summary: summary({ targets: 1, suggestions: 1, posted: 1 }),
        text: functionsText(SUGGESTED),
      }),
    );
  });
});
