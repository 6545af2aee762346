// The hook the Action's `sarif` input uses: gatherPullRequest with another alert source reads its
// alerts (those in files of the diff) instead of asking the code-scanning API.
import { join } from 'node:path';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { SarifAlertSource } from '../../src/detect/sarif.js';
import { gatherPullRequest } from '../../src/github/review/gather.js';
import { createOctokit } from '../../src/github/octokit.js';
import { contentOf, HEAD_SHA, OWNER, PULL_NUMBER, REPO, VIEWS, VIEWS_DIFF, VIEWS_LISTED, VIEWS_PATH } from '../fixtures/github/app-events.js';
import { useHttpMocks } from '../helpers/http-mocks.js';
import { GITHUB_API } from './runner-env.js';

useHttpMocks();

const PULL = `/repos/${OWNER}/${REPO}/pulls/${PULL_NUMBER}`;

describe('gatherPullRequest with an alert source', () => {
  it('takes the SARIF alerts in files of the diff and never calls the code-scanning API', async () => {
    nock(GITHUB_API).get(`${PULL}/files`).query({ per_page: 100 }).reply(200, [VIEWS_LISTED]);
    nock(GITHUB_API, { reqheaders: { accept: 'application/vnd.github.v3.diff' } })
      .get(PULL)
      .reply(200, VIEWS_DIFF);
    nock(GITHUB_API).get(`/repos/${OWNER}/${REPO}/contents/app%2Fviews.py`).query({ ref: HEAD_SHA }).reply(200, contentOf(VIEWS_PATH, VIEWS));
    nock(GITHUB_API).get(`${PULL}/comments`).query({ per_page: 100 }).reply(200, []);
    nock(GITHUB_API).get(`${PULL}/reviews`).query({ per_page: 100 }).reply(200, []);
    const octokit = createOctokit({ retry: false, throttle: false });
    const alerts = new SarifAlertSource([join(import.meta.dirname, '..', 'fixtures', 'action', 'sarif')]);

    const material = await gatherPullRequest(
      octokit,
      { owner: OWNER, repo: REPO, pullNumber: PULL_NUMBER, headSha: HEAD_SHA },
      { botLogin: 'github-actions[bot]', alerts },
    );

    expect(material.alertsAvailable).toBe(true);
    expect(material.alertsUnavailableReason).toBeUndefined();
    // The fixture's second result, in app/legacy.py, is not in the diff.
    expect(material.alerts).toEqual([expect.objectContaining({ path: VIEWS_PATH, startLine: 12, ruleId: 'py/sql-injection', cwe: ['CWE-89'] })]);
  });
});
