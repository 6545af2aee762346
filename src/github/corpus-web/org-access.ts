// Who may do what with an org's corpus, asked of GitHub with the App's own credentials (never the
// user's): the App's installation on the org (`GET /orgs/{org}/installation`), then the user's
// membership (`GET /orgs/{org}/memberships/{username}`, which needs the App's Organization →
// Members: read permission): an active member may read, an owner (role admin) may also retire and
// restore, and so may an active member of the operator's admin team
// (`GET /orgs/{org}/teams/{team}/memberships/{username}`). Answers are kept 60 s, keyed by the org
// and the session (login and sign-in time), so a new sign-in or another org always asks again.
import type { Octokit } from '@octokit/rest';
import type { GitHubClient } from '../review/gather.js';
import { z } from 'zod';
import { SecCoderError } from '../../errors/seccoder-error.js';
import { ACCESS_CACHE_SECONDS } from './settings.js';
import { TtlCache } from './ttl-cache.js';

/** The App's client (probot's Octokit): requests by route, and what a corpus store needs. */
export type AppClient = GitHubClient & Pick<Octokit, 'request'>;

/** What a user may do with an org's corpus. */
export type OrgRole = 'none' | 'read' | 'write';

/** GitHub would not answer an access check (a missing App permission, an outage); `message` says which check and what to do. */
export class OrgAccessError extends SecCoderError {
  override name = 'OrgAccessError';
}

export interface OrgAccessOptions {
  /** The App authenticated as itself (probot's `app.auth()`). */
  appClient: () => Promise<AppClient>;
  /** The App's client for one installation (probot's `app.auth(id)`). */
  installationClient: (installationId: number) => Promise<AppClient>;
  /** Slug of the team whose active members may write besides owners. */
  adminTeam?: string;
  /** Default: the clock, in milliseconds. */
  now?: () => number;
}

export interface OrgInstallation {
  id: number;
  client: AppClient;
}

const installationAnswer = z.object({ id: z.number().int().positive() });
const membershipAnswer = z.object({ state: z.string(), role: z.string() });
const teamMembershipAnswer = z.object({ state: z.string() });

const MEMBERS_READ = "grant the App the Organization → Members: read permission, and accept it on the org's installation";

const statusOf = (error: unknown): number | undefined => {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
};

/** GitHub's answer to `route`, or undefined for 404; anything else but 2xx is an OrgAccessError saying what to do. */
async function lookUp(client: AppClient, route: string, params: Record<string, string>, what: string, onRefusal: string): Promise<unknown> {
  try {
    const { data } = await client.request(route, params);
    return data;
  } catch (error) {
    const status = statusOf(error);
    if (status === 404) return undefined;
    const why =
      status === 401 || status === 403
        ? `refused (HTTP ${status}): ${onRefusal}`
        : `failed (${status === undefined ? 'no answer' : `HTTP ${status}`}): try again later`;
    throw new OrgAccessError(`${what} ${why}`);
  }
}

export class OrgAccess {
  readonly #installations: TtlCache<{ id: number } | null>;
  readonly #roles: TtlCache<OrgRole>;

  constructor(private readonly options: OrgAccessOptions) {
    const now = options.now ?? Date.now;
    this.#installations = new TtlCache(ACCESS_CACHE_SECONDS * 1000, now);
    this.#roles = new TtlCache(ACCESS_CACHE_SECONDS * 1000, now);
  }

  /** The App's installation on `org`, or undefined when it is not installed there. */
  async installation(org: string): Promise<OrgInstallation | undefined> {
    const found = await this.#installations.through(org.toLowerCase(), async () => {
      const data = await lookUp(
        await this.options.appClient(),
        'GET /orgs/{org}/installation',
        { org },
        `looking up the App's installation on ${org}`,
        'check APP_ID and PRIVATE_KEY',
      );
      if (data === undefined) return null;
      const parsed = installationAnswer.safeParse(data);
      if (!parsed.success) throw new OrgAccessError(`looking up the App's installation on ${org}: GitHub's answer has no installation id`);
      return { id: parsed.data.id };
    });
    return found ? { id: found.id, client: await this.options.installationClient(found.id) } : undefined;
  }

  /**
   * What `session`'s user may do with `org`'s corpus: write (owner, or active member of the admin
   * team), read (active member), or none.
   */
  async role(org: string, installation: OrgInstallation, session: { login: string; iat: number }): Promise<OrgRole> {
    const key = [org.toLowerCase(), session.login.toLowerCase(), session.iat].join('\n');
    return this.#roles.through(key, async () => {
      const params = { org, username: session.login };
      const membership = membershipAnswer.safeParse(
        await lookUp(installation.client, 'GET /orgs/{org}/memberships/{username}', params, `checking ${session.login}'s membership of ${org}`, MEMBERS_READ),
      );
      if (!membership.success || membership.data.state !== 'active') return 'none';
      if (membership.data.role === 'admin') return 'write';
      const team = this.options.adminTeam;
      if (team === undefined) return 'read';
      const teamMembership = teamMembershipAnswer.safeParse(
        await lookUp(
          installation.client,
          'GET /orgs/{org}/teams/{team_slug}/memberships/{username}',
          { ...params, team_slug: team },
          `checking ${session.login}'s membership of team ${org}/${team}`,
          MEMBERS_READ,
        ),
      );
      return teamMembership.success && teamMembership.data.state === 'active' ? 'write' : 'read';
    });
  }
}
