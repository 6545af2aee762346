// Addresses the page links to. Whatever comes from a record (an entry's source.url, an audit
// record's via.url) is linked only when it is http(s): zod's url() also admits `javascript:` and
// `data:`, which a link must never carry. GitHub addresses are built from their parts, each part
// percent-encoded, so a path with `?` or `#` in it stays a path.
import type { AuditVia } from '../corpus/audit.js';
import type { EntrySource } from '../corpus/entry.js';

const GITHUB = 'https://github.com';

/** The URL when it is an absolute http or https address; undefined otherwise. */
export function httpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** MITRE's page of a CWE ("CWE-89" → …/definitions/89.html); undefined for anything that is no CWE id. */
export function cweUrl(cwe: string): string | undefined {
  const match = /^CWE-([1-9]\d*)$/.exec(cwe);
  return match ? `https://cwe.mitre.org/data/definitions/${match[1]}.html` : undefined;
}

const segments = (path: string) =>
  path
    .split('/')
    .filter((part) => part !== '')
    .map(encodeURIComponent)
    .join('/');

/** `owner/name` as a GitHub path, or undefined when it is not two plain segments. */
function repoPath(repo: string | undefined): string | undefined {
  return repo && /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo) ? repo : undefined;
}

/**
 * Where an entry came from: its source.url, else the file at its commit on GitHub, else the
 * commit, else the pull request that added it, else the repository; undefined when nothing is known.
 */
export function provenanceUrl(source: EntrySource): string | undefined {
  const url = httpUrl(source.url);
  if (url) return url;
  const repo = repoPath(source.repo);
  if (!repo) return undefined;
  if (source.commit && /^[0-9A-Za-z._-]+$/.test(source.commit)) {
    return source.path ? `${GITHUB}/${repo}/blob/${source.commit}/${segments(source.path)}` : `${GITHUB}/${repo}/commit/${source.commit}`;
  }
  if (source.pullRequest) return `${GITHUB}/${repo}/pull/${source.pullRequest}`;
  return `${GITHUB}/${repo}`;
}

/** The pull request behind an audit record: via.url, else built from via.repo and via.pullRequest. */
export function pullRequestUrl(via: AuditVia): string | undefined {
  const url = httpUrl(via.url);
  if (url) return url;
  const repo = repoPath(via.repo);
  return repo && via.pullRequest ? `${GITHUB}/${repo}/pull/${via.pullRequest}` : undefined;
}

/** A posted suggestion's pull request on GitHub. */
export function suggestionPullUrl(repo: string, pullRequest: number): string | undefined {
  const path = repoPath(repo);
  return path ? `${GITHUB}/${path}/pull/${pullRequest}` : undefined;
}
