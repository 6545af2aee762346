import { readFileSync } from 'node:fs';
import { Octokit } from '@octokit/rest';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { AlertsUnavailableError } from '../../src/detect/alerts-unavailable-error.js';
import { alertsFromGitHub, GitHubAlertSource } from '../../src/detect/github-alerts.js';
import { useHttpMocks } from '../helpers/http-mocks.js';

const fixture = (name: string): unknown[] => JSON.parse(readFileSync(new URL(`../fixtures/detect/github/${name}`, import.meta.url), 'utf8')) as unknown[];
const PAGE_1 = fixture('alerts-page-1.json');
const PAGE_2 = fixture('alerts-page-2.json');

const API = 'https://api.github.com';
const QUERY = { ref: 'refs/pull/12/merge', state: 'open', per_page: '100' };

function source(): GitHubAlertSource {
  // A plain Octokit: no retry or throttling plugins, so a failure is seen once.
  const quiet = () => undefined;
  const octokit = new Octokit({ auth: 'test-token', userAgent: 'seccoder-test', log: { debug: quiet, info: quiet, warn: quiet, error: quiet } });
  return new GitHubAlertSource({ octokit, owner: 'acme', repo: 'shop', ref: 'refs/pull/12/merge' });
}

useHttpMocks();

describe('GitHubAlertSource', () => {
  it('follows pagination and maps the alerts, dropping the one without a location', async () => {
    const next = `${API}/repositories/1296269/code-scanning/alerts?ref=refs%2Fpull%2F12%2Fmerge&state=open&per_page=100&page=2`;
    nock(API)
      .get('/repos/acme/shop/code-scanning/alerts')
      .query(QUERY)
      .matchHeader('authorization', 'token test-token')
      .reply(200, PAGE_1, { Link: `<${next}>; rel="next", <${next}>; rel="last"` })
      .get('/repositories/1296269/code-scanning/alerts')
      .query({ ...QUERY, page: '2' })
      .reply(200, PAGE_2);

    const alertSource = source();
    const alerts = await alertSource.alerts();
    expect(alerts).toEqual([
      {
        ruleId: 'py/sql-injection',
        message: 'This SQL query depends on a user-provided value.',
        cwe: ['CWE-89'],
        path: 'app/views.py',
        startLine: 14,
        endLine: 14,
        severity: 'high',
        url: 'https://github.com/acme/shop/security/code-scanning/42',
        number: 42,
      },
      {
        ruleId: 'py/path-injection',
        message: 'This path depends on a user-provided value.',
        cwe: ['CWE-22', 'CWE-23', 'CWE-36', 'CWE-73', 'CWE-99'],
        path: 'app/files.py',
        startLine: 22,
        endLine: 24,
        severity: 'high',
        url: 'https://github.com/acme/shop/security/code-scanning/41',
        number: 41,
      },
      {
        ruleId: 'js/xss-through-dom',
        message: 'DOM text is reinterpreted as HTML without escaping meta-characters.',
        cwe: ['CWE-79', 'CWE-116'],
        path: 'web/static/search.js',
        startLine: 31,
        endLine: 31,
        severity: 'medium',
        url: 'https://github.com/acme/shop/security/code-scanning/7',
        number: 7,
      },
    ]);
    expect(alertSource.problems).toHaveLength(1);
    expect(alertSource.problems[0]).toMatchObject({ source: 'GitHub code scanning', item: 'alert #3' });
    expect(alertSource.problems[0]?.reason).toMatch(/most_recent_instance\.location\.path/);
  });

  it("turns 403 (code scanning not enabled) into AlertsUnavailableError with GitHub's message", async () => {
    const message = 'Advanced Security must be enabled for this repository to use code scanning.';
    nock(API).get('/repos/acme/shop/code-scanning/alerts').query(QUERY).reply(403, {
      message,
      documentation_url: 'https://docs.github.com/rest/code-scanning/code-scanning#list-code-scanning-alerts-for-a-repository',
      status: '403',
    });
    const error = await source()
      .alerts()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AlertsUnavailableError);
    expect(error).toMatchObject({ name: 'AlertsUnavailableError', status: 403, githubMessage: message, repository: 'acme/shop' });
    expect((error as Error).message).toBe(`code-scanning alerts are unavailable for acme/shop (HTTP 403: ${message})`);
  });

  it('turns 404 (no analysis for the ref) into AlertsUnavailableError', async () => {
    nock(API)
      .get('/repos/acme/shop/code-scanning/alerts')
      .query(QUERY)
      .reply(404, { message: 'no analysis found', documentation_url: 'https://docs.github.com/rest/code-scanning/code-scanning', status: '404' });
    await expect(source().alerts()).rejects.toMatchObject({ name: 'AlertsUnavailableError', status: 404, githubMessage: 'no analysis found' });
  });

  it('lets other failures through unchanged', async () => {
    nock(API).get('/repos/acme/shop/code-scanning/alerts').query(QUERY).reply(500, { message: 'Server Error' });
    const error = await source()
      .alerts()
      .catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(AlertsUnavailableError);
    expect(error).toMatchObject({ status: 500 });
  });

  it('returns no alerts for a repository without open alerts', async () => {
    nock(API).get('/repos/acme/shop/code-scanning/alerts').query(QUERY).reply(200, []);
    await expect(source().alerts()).resolves.toEqual([]);
  });
});

describe('alertsFromGitHub', () => {
  it('drops alerts that are not open or have no rule id, with reasons', () => {
    const [open] = PAGE_1 as Record<string, unknown>[];
    const dismissed = { ...open, number: 50, state: 'dismissed' };
    const noRule = { ...open, number: 51, rule: { ...(open?.rule as object), id: null } };
    const { alerts, problems } = alertsFromGitHub([open, dismissed, noRule, 'junk']);
    expect(alerts.map((alert) => alert.number)).toEqual([42]);
    expect(problems.map((problem) => problem.item)).toEqual(['alert #50', 'alert #51', 'item 3']);
    expect(problems[0]?.reason).toBe('state is dismissed');
    expect(problems[1]?.reason).toBe('rule has no id');
    expect(problems[2]?.reason).toMatch(/expected object, received string/);
  });
});
