// The config module describes `.github/seccoder.yml` and maps it onto the domain's option types; it
// must not depend on the pipeline it configures (src/harden/), nor on the App or the CLI.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CONFIG_DIR = join(import.meta.dirname, '../../src/config');

describe('src/config/', () => {
  it('imports nothing from the pipeline, the App, the Action or the CLI', () => {
    const imports = readdirSync(CONFIG_DIR)
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => [...readFileSync(join(CONFIG_DIR, file), 'utf8').matchAll(/from '([^']+)'/g)].map((match) => `${file}: ${match[1] ?? ''}`));
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((line) => /: \.\.\/(harden|github|action|cli)\//.test(line))).toEqual([]);
  });
});
