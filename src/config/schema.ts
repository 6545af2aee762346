// The repository's `.github/seccoder.yml`, as a zod schema. Probot's `context.config` reads and
// parses the YAML (with the org-wide `.github` fallback and `_extends`); the schema fills in a
// default for every key. Unknown keys are errors, so a typo is reported on the check run instead
// of being silently ignored.
import { z } from 'zod';
import { LANGUAGES, parseLanguage, type Language } from '../lang/languages.js';

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

/** How merged fixes join the corpus (`growth.mode`). */
export const GROWTH_MODES = ['direct', 'pull-request'] as const;
export type GrowthMode = (typeof GROWTH_MODES)[number];

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

/** The keys, each with its default; the rules across keys are below. */
const configKeys = z.strictObject({
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
      /**
       * How a merged fix's functions join the corpus. `direct`: at once, committed by SecCoder.
       * `pull-request` (with `corpus.store: repository` only): SecCoder proposes them in one pull
       * request on the corpus repository (branch `seccoder/growth`), with their gate results;
       * merging it admits them, closing it refuses them. Either way the audit trail records it.
       * Default `direct`.
       */
      mode: z.enum(GROWTH_MODES).default('direct'),
    })
    .prefault({}),

  /** Also review draft pull requests. Default false: drafts are skipped until marked ready. */
  drafts: z.boolean().default(false),

  /** Post nothing; the check run shows what would have been posted. Default false. */
  dryRun: z.boolean().default(false),
});

export const secCoderConfigSchema = configKeys.superRefine((config, ctx) => {
  // A proposal is a pull request on the corpus repository: a folder on the app's server has none.
  if (config.growth.mode === 'pull-request' && config.corpus.store !== 'repository') {
    ctx.addIssue({
      code: 'custom',
      path: ['growth', 'mode'],
      message: `pull-request needs corpus.store: repository, since proposals are pull requests on the corpus repository; with a ${config.corpus.store} corpus use direct`,
    });
  }
});

/** A validated config with every default filled in. */
export type SecCoderConfig = z.output<typeof secCoderConfigSchema>;
/** A config as a repository writes it: every key optional. */
export type SecCoderConfigInput = z.input<typeof secCoderConfigSchema>;

/** The config a repository without `.github/seccoder.yml` gets. */
export const DEFAULT_SECCODER_CONFIG: SecCoderConfig = secCoderConfigSchema.parse({});
