// The repository's `.github/seccoder.yml`, validated with zod. Probot's `context.config` reads and
// parses the YAML (with the org-wide `.github` fallback and `_extends`); this module receives the
// parsed value, or null when there is no file, and fills in a default for every key. Unknown keys
// are errors, so a typo is reported on the check run instead of being silently ignored.
import { z } from 'zod';
import { DEFAULT_IGNORE, DEFAULT_TARGET_OPTIONS, type TargetOptions } from '../detect/targets.js';
import { LANGUAGES, parseLanguage, type Language } from '../lang/languages.js';
import type { HardenOptions } from '../harden/harden-target.js';
import { inlineCode, escapeMarkdown, tableCell } from '../text/markdown.js';

/** The name `context.config` takes: the file is `.github/seccoder.yml`. */
export const CONFIG_FILE_NAME = 'seccoder.yml';
export const CONFIG_PATH = `.github/${CONFIG_FILE_NAME}`;

const language = z.string().transform((name, ctx): Language => {
  try {
    return parseLanguage(name);
  } catch {
    ctx.addIssue({ code: 'custom', message: `unknown language ${JSON.stringify(name)}; known: ${LANGUAGES.join(', ')}` });
    return z.NEVER;
  }
});

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

/**
 * A corpus folder named by a repository's config, below the folder the app's operator set aside
 * for corpora: relative, forward slashes, no `..` and no hidden segments, so one repository's
 * config cannot point the app at another tenant's corpus or anywhere else on the server.
 */
function isSafeFolder(location: string): boolean {
  if (location.startsWith('/') || location.includes('\\') || location.includes('\0')) return false;
  return location.split('/').every((segment) => segment !== '' && !segment.startsWith('.') && segment !== '~');
}

export const secCoderConfigSchema = z.strictObject({
  /** Run on this repository's pull requests at all. Default true. */
  enabled: z.boolean().default(true),

  /** Which functions become targets. Default: both kinds. */
  targets: z
    .strictObject({
      /** Functions that hold open code-scanning alerts. Default true. */
      alerts: z.boolean().default(true),
      /** Functions the pull request adds or changes. Default true. */
      'new-functions': z.boolean().default(true),
      /**
       * Also changed functions in which no risky operation is found (no SQL, shell, file, memory,
       * deserialization, markup, crypto, ...). Default false: they are skipped as "no risky
       * operation", which keeps the model's cost and the review's noise down.
       */
      'riskless-functions': z.boolean().default(false),
    })
    .prefault({}),

  /**
   * Only files in these languages (names or aliases: `python`, `py`, `c++`, `ts`, …).
   * Default: every supported language.
   */
  languages: z.array(language).min(1, 'list at least one language, or leave the key out for all').optional(),

  /** Which paths are never hardened. */
  paths: z
    .strictObject({
      /**
       * Globs (`**` crosses folders) of paths never hardened. They EXTEND the built-in list of
       * vendored, generated and minified code and lockfiles (`DEFAULT_IGNORE`). Default: none.
       */
      ignore: z.array(z.string().min(1, 'a glob cannot be empty')).max(200).default([]),
      /**
       * Keep the built-in ignore list; `false` makes `ignore` the whole list (replacing the
       * built-in one). Default true.
       */
      'ignore-defaults': z.boolean().default(true),
    })
    .prefault({}),

  /** Most functions hardened per pull request; each costs model calls. Default 10, at most 50. */
  maxTargets: z.int().min(1).max(50).default(10),

  /** Secure demonstrations shown to the model per function. Default 1, at most 5. */
  demonstrations: z.int().min(1).max(5).default(1),

  /**
   * Demonstrations less similar than this (cosine similarity, 0–1) are not shown. Default 0:
   * any demonstration the retriever finds.
   */
  minSimilarity: z.number().min(0).max(1).default(0),

  /**
   * The code model. Keys left out fall back to the app's own settings; without a model anywhere
   * SecCoder runs in precedent mode (demonstrations, no rewrites).
   */
  model: z
    .strictObject({
      /**
       * Base URL of an OpenAI-compatible API including the version (`https://api.openai.com/v1`).
       * Default: the app's. The app honours it only when its operator allows (see `modelEndpoint`).
       */
      url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://api.openai.com/v1' }).optional(),
      /** Model name as the endpoint knows it (`gpt-4o-mini`, `qwen2.5-coder:7b`). Default: the app's. */
      name: z.string().min(1).optional(),
      /**
       * Name of the environment variable holding the API key (never the key itself). Default: the
       * app's. Only the GitHub Action reads it: the app's variables are its server's, and it never
       * sends its key to a repository-chosen `url` (see `modelEndpoint`).
       */
      apiKeyEnv: z.string().regex(ENV_NAME, 'must be the name of an environment variable, not the key').optional(),
      /** Sampling temperature. Default 0.4. */
      temperature: z.number().min(0).max(2).default(0.4),
      /** Samples asked for per function; the best one that passes validation is suggested. Default 3, at most 10. */
      samples: z.int().min(1).max(10).default(3),
    })
    .prefault({}),

  /** Where the secure-code corpus lives. */
  corpus: z
    .strictObject({
      /**
       * `local`: a folder on the app's server; `repository`: a JSONL corpus kept in a GitHub
       * repository of the organization. Default `local`.
       */
      store: z.enum(['local', 'repository']).default('local'),
      /**
       * For `local`, a folder relative to the app's corpus root (no `..`); default: the app's
       * corpus. For `repository`, `owner/repo`; default `<org>/.seccoder`.
       */
      location: z.string().min(1).optional(),
    })
    .prefault({})
    .superRefine((corpus, ctx) => {
      if (corpus.location === undefined) return;
      if (corpus.store === 'repository' && !REPOSITORY.test(corpus.location)) {
        ctx.addIssue({ code: 'custom', path: ['location'], message: 'must be a repository as owner/repo, e.g. acme/.seccoder' });
      }
      if (corpus.store === 'local' && !isSafeFolder(corpus.location)) {
        ctx.addIssue({ code: 'custom', path: ['location'], message: 'must be a relative folder below the corpus root, without .. or hidden segments' });
      }
    }),

  /** Growing the corpus from merged fixes. */
  growth: z
    .strictObject({
      /** Add the secure functions of merged pull requests carrying `label` to the corpus. Default true. */
      enabled: z.boolean().default(true),
      /** The label that marks a pull request as a security fix. Default `security-fix`. */
      label: z.string().trim().min(1).max(50, 'GitHub labels are at most 50 characters').default('security-fix'),
    })
    .prefault({}),

  /** Also review draft pull requests. Default false: drafts are skipped until marked ready. */
  drafts: z.boolean().default(false),

  /** Post nothing; the check run shows what would have been posted. Default false. */
  dryRun: z.boolean().default(false),
});

/** A validated config with every default filled in. */
export type SecCoderConfig = z.output<typeof secCoderConfigSchema>;
/** A config as a repository writes it: every key optional. */
export type SecCoderConfigInput = z.input<typeof secCoderConfigSchema>;

/** One thing wrong with the config: `key` is a dotted path (`model.temperature`, `languages[1]`). */
export interface ConfigProblem {
  key: string;
  message: string;
}

export type ConfigParseResult = { ok: true; config: SecCoderConfig } | { ok: false; problems: ConfigProblem[] };

/** The name of the top level in problems about the file as a whole. */
export const TOP_LEVEL_KEY = '(top level)';

function keyOf(path: readonly PropertyKey[]): string {
  let key = '';
  for (const part of path) {
    if (typeof part === 'number') key += `[${part}]`;
    else key += key === '' ? String(part) : `.${String(part)}`;
  }
  return key === '' ? TOP_LEVEL_KEY : key;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a decimal number';
  if (typeof value === 'object') return 'a mapping of keys';
  if (typeof value === 'string') return 'text';
  return `a ${typeof value}`;
}

const EXPECTED: Record<string, string> = {
  boolean: 'true or false',
  int: 'a whole number',
  number: 'a number',
  string: 'text',
  array: 'a list',
  object: 'a mapping of keys',
};

function limit(issue: { origin?: string; inclusive?: boolean }, bound: unknown, most: boolean): string {
  const strict = issue.inclusive === false;
  const word = most ? (strict ? 'less than' : 'at most') : strict ? 'more than' : 'at least';
  const n = Number(bound);
  if (issue.origin === 'array') return `must list ${word} ${n} ${n === 1 ? 'item' : 'items'}`;
  if (issue.origin === 'string') return `must be ${word} ${n} ${n === 1 ? 'character' : 'characters'}`;
  return `must be ${word} ${n}`;
}

/** The schema a config path leads to, wrappers (default, optional, pipe) removed; undefined off the schema. */
function schemaAt(path: readonly PropertyKey[]): z.core.$ZodType | undefined {
  let schema: z.core.$ZodType = secCoderConfigSchema;
  const unwrap = () => {
    for (;;) {
      const def = schema._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
      if (def.innerType) schema = def.innerType;
      else if (def.type === 'pipe' && def.in) schema = def.in;
      else return;
    }
  };
  for (const part of path) {
    unwrap();
    if (!(schema instanceof z.ZodObject) || typeof part !== 'string') return undefined;
    const shape = schema.shape as Record<string, z.core.$ZodType>;
    const next = Object.hasOwn(shape, part) ? shape[part] : undefined;
    if (!next) return undefined;
    schema = next;
  }
  unwrap();
  return schema;
}

/** Sub-keys of the config object at `path`, for "did you mean" hints. */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  const schema = schemaAt(path);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** What an invalid_type issue expected, in words; zod reports a whole-number schema as expecting "number". */
function expectedAt(path: readonly PropertyKey[], expected: string): string {
  const schema = schemaAt(path);
  if (expected === 'number' && schema instanceof z.ZodNumber && schema.format === 'safeint') return EXPECTED.int as string;
  return EXPECTED[expected] ?? expected;
}

function squash(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const wanted = squash(key);
  const close =
    known.find((candidate) => squash(candidate) === wanted) ??
    (wanted.length > 3 ? known.find((candidate) => editDistance(squash(candidate), wanted) <= 2) : undefined);
  const hint = close ? `; did you mean ${JSON.stringify(close)}?` : known.length > 0 ? `; known keys here: ${known.join(', ')}` : '';
  return `unknown key${hint}`;
}

function problemsOf(issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  return issues.flatMap((issue): ConfigProblem[] => {
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeysAt(issue.path);
        return issue.keys.map((key) => ({ key: keyOf([...issue.path, key]), message: unknownKeyMessage(key, known) }));
      }
      case 'invalid_type':
        return [{ key: keyOf(issue.path), message: `must be ${expectedAt(issue.path, issue.expected)}, not ${describeValue(issue.input)}` }];
      case 'too_big':
        return [{ key: keyOf(issue.path), message: limit(issue, issue.maximum, true) }];
      case 'too_small':
        return [{ key: keyOf(issue.path), message: limit(issue, issue.minimum, false) }];
      case 'invalid_value':
        return [{ key: keyOf(issue.path), message: `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}` }];
      default:
        return [{ key: keyOf(issue.path), message: issue.message }];
    }
  });
}

/**
 * Validates the parsed `.github/seccoder.yml` (`null`/`undefined`: no file, all defaults). Never
 * throws: problems name the key as a dotted path so the check run can say what to fix. A
 * top-level `_extends` (probot's config inheritance, normally consumed by `context.config`) is
 * ignored.
 */
export function parseSecCoderConfig(raw: unknown): ConfigParseResult {
  let input = raw ?? {};
  if (typeof input === 'object' && !Array.isArray(input) && '_extends' in input) {
    const { _extends: _ignored, ...rest } = input as Record<string, unknown>;
    input = rest;
  }
  const result = secCoderConfigSchema.safeParse(input, { reportInput: true });
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, problems: problemsOf(result.error.issues) };
}

/** The config a repository without `.github/seccoder.yml` gets. */
export const DEFAULT_SECCODER_CONFIG: SecCoderConfig = secCoderConfigSchema.parse({});

/**
 * Problems as a Markdown table (`| key | problem |`). Keys come from the repository's file and
 * may hold anything: they are shown as code with pipes escaped; messages are escaped text
 * (`escapeMarkdown` escapes pipes too).
 */
export function configProblemsMarkdown(problems: readonly ConfigProblem[]): string {
  const rows = problems.map((problem) => `| ${tableCell(inlineCode(problem.key))} | ${escapeMarkdown(problem.message)} |`);
  return ['| key | problem |', '| --- | --- |', ...rows].join('\n');
}

/** The ignore globs in effect: the built-in list (unless `ignore-defaults: false`) plus the repository's. */
export function ignoreGlobs(config: SecCoderConfig): string[] {
  const base = config.paths['ignore-defaults'] ? DEFAULT_IGNORE : [];
  return [...new Set([...base, ...config.paths.ignore])];
}

/** The config as the detect module's target options. */
export function toTargetOptions(config: SecCoderConfig): TargetOptions {
  return {
    maxTargets: config.maxTargets,
    maxFunctionLines: DEFAULT_TARGET_OPTIONS.maxFunctionLines,
    ignore: ignoreGlobs(config),
    ...(config.languages ? { languages: [...new Set(config.languages)] } : {}),
    targets: { alerts: config.targets.alerts, newFunctions: config.targets['new-functions'] },
    skipRiskless: !config.targets['riskless-functions'],
  };
}

/** The config as the pipeline's options: demonstrations shown, similarity floor, sampling. */
export function toHardenOptions(config: SecCoderConfig): HardenOptions {
  return {
    retrieve: Math.max(3, config.demonstrations),
    budget: { maxDemonstrations: config.demonstrations },
    minSimilarity: config.minSimilarity,
    generation: { temperature: config.model.temperature, samples: config.model.samples },
  };
}

/** The model settings of whoever runs SecCoder (app operator's environment, or the Action's inputs). */
export interface OperatorModelSettings {
  url?: string;
  name?: string;
  apiKeyEnv?: string;
  /**
   * Whose environment variables `apiKeyEnv` reads. `repository` (the Action, the CLI): the
   * repository's own, so its config's keys are used as written. `app` (default): the app
   * server's, shared by every installation, so a repository's config must not name a variable
   * (it could be any secret of the server) nor send the operator's key to a URL it chose.
   */
  environment?: 'app' | 'repository';
  /** In the app: let a repository's config choose `model.url`, called without any key. Default false. */
  allowRepositoryUrl?: boolean;
}

/** Base URL, model name and key variable to build the model client from. */
export interface ModelEndpoint {
  baseUrl: string;
  model: string;
  apiKeyEnv?: string;
  temperature: number;
  samples: number;
}

export type ModelEndpointResult = { ok: true; endpoint: ModelEndpoint } | { ok: false; reason: string };

/**
 * Combines the repository's `model` keys with the operator's settings. Not ok when no URL or name
 * is known (precedent mode) or when, in the app, the config asks for a URL or key variable of
 * its own that the operator does not allow.
 */
export function modelEndpoint(config: SecCoderConfig, operator: OperatorModelSettings): ModelEndpointResult {
  const { model } = config;
  let apiKeyEnv = model.apiKeyEnv ?? operator.apiKeyEnv;
  if ((operator.environment ?? 'app') === 'app') {
    const ownUrl = model.url !== undefined && model.url !== operator.url;
    if (model.apiKeyEnv !== undefined && model.apiKeyEnv !== operator.apiKeyEnv) {
      return { ok: false, reason: "model.apiKeyEnv names a variable of the app's server; only the GitHub Action reads it" };
    }
    if (ownUrl && !operator.allowRepositoryUrl) {
      return { ok: false, reason: 'model.url is set, but this SecCoder app only calls the model endpoint its operator configured' };
    }
    apiKeyEnv = ownUrl ? undefined : operator.apiKeyEnv;
  }
  const baseUrl = model.url ?? operator.url;
  const name = model.name ?? operator.name;
  if (!baseUrl || !name) return { ok: false, reason: 'no model configured: set model.url and model.name, or the app settings' };
  return {
    ok: true,
    endpoint: { baseUrl, model: name, ...(apiKeyEnv ? { apiKeyEnv } : {}), temperature: model.temperature, samples: model.samples },
  };
}

/** Where the corpus is, with the default repository filled in. */
export type CorpusLocation = { store: 'local'; folder?: string } | { store: 'repository'; owner: string; repo: string };

/** The corpus location for a repository of `org`: a folder below the app's corpus root, or `<org>/.seccoder`. */
export function corpusLocation(config: SecCoderConfig, org: string): CorpusLocation {
  const { store, location } = config.corpus;
  if (store === 'local') return location ? { store, folder: location } : { store };
  const [owner = org, repo = '.seccoder'] = location ? location.split('/') : [org, '.seccoder'];
  return { store, owner, repo };
}
