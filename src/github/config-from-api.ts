// Reading `.github/seccoder.yml` through the REST API, for the CLI and the Action (the App gets it
// from probot's `context.config`): the same file, org-wide `.github` fallback and `_extends`.
import { config as configPlugin } from '@probot/octokit-plugin-config';
import { CONFIG_PATH } from '../config/schema.js';

/**
 * The parsed config of `owner/repo` at `path` (default `.github/seccoder.yml`), undefined when
 * neither the repository nor the organization's `.github` repository has the file. Throws
 * GitHub's errors and YAML syntax errors (`reviewPullRequest` reports the latter on the check run).
 */
export async function readConfigFromApi(
  octokit: Parameters<typeof configPlugin>[0],
  owner: string,
  repo: string,
  path: string = CONFIG_PATH,
): Promise<unknown> {
  const { config, files } = await configPlugin(octokit).config.get({ owner, repo, path });
  return files.every((file) => file.config === null) ? undefined : config;
}
