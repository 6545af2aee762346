import { describe, expect, it } from 'vitest';
import { firstMatchingGlob, globToRegExp, matchesGlob } from '../../src/detect/glob.js';
import { DEFAULT_IGNORE } from '../../src/detect/targets.js';

describe('matchesGlob', () => {
  it('lets ** match any number of folders, including none', () => {
    expect(matchesGlob('node_modules/x/index.js', '**/node_modules/**')).toBe(true);
    expect(matchesGlob('web/node_modules/x/index.js', '**/node_modules/**')).toBe(true);
    expect(matchesGlob('src/my_node_modules/x.js', '**/node_modules/**')).toBe(false);
    expect(matchesGlob('src/node_modules_helper.js', '**/node_modules/**')).toBe(false);
    expect(matchesGlob('a/b/c/d.py', 'a/**/d.py')).toBe(true);
    expect(matchesGlob('a/d.py', 'a/**/d.py')).toBe(true);
    expect(matchesGlob('b/d.py', 'a/**/d.py')).toBe(false);
  });

  it('keeps * and ? inside one path segment', () => {
    expect(matchesGlob('dist/app.min.js', '**/*.min.js')).toBe(true);
    expect(matchesGlob('app.min.js', '**/*.min.js')).toBe(true);
    expect(matchesGlob('src/app.js', '**/*.min.js')).toBe(false);
    expect(matchesGlob('src/a.py', 'src/*.py')).toBe(true);
    expect(matchesGlob('src/sub/a.py', 'src/*.py')).toBe(false);
    expect(matchesGlob('src/a1.py', 'src/a?.py')).toBe(true);
    expect(matchesGlob('src/a/.py', 'src/a?.py')).toBe(false);
  });

  it('reads a pattern without a slash as a file name in any folder, and supports {a,b}', () => {
    expect(matchesGlob('deep/down/yarn.lock', 'yarn.lock')).toBe(true);
    expect(matchesGlob('x/schema_pb2.py', '*_pb2.py')).toBe(true);
    expect(matchesGlob('x/a.ts', '**/*.{ts,tsx}')).toBe(true);
    expect(matchesGlob('x/a.tsx', '**/*.{ts,tsx}')).toBe(true);
    expect(matchesGlob('x/a.js', '**/*.{ts,tsx}')).toBe(false);
  });

  it('treats regex characters literally and normalizes ./ and backslashes in paths', () => {
    expect(matchesGlob('a+b/(x).py', 'a+b/(x).py')).toBe(true);
    expect(matchesGlob('aab/(x).py', 'a+b/(x).py')).toBe(false);
    expect(matchesGlob('./vendor/lib.go', '**/vendor/**')).toBe(true);
    expect(matchesGlob('third_party\\zlib\\inflate.c', '**/third_party/**')).toBe(true);
    expect(globToRegExp('**/*.min.js').source).toBe('^(?:[^/]*\\/)*[^/]*\\.min\\.js$');
  });

  it('applies the default ignore list to vendored, generated and lock files only', () => {
    const ignored = [
      'node_modules/lodash/index.js',
      'vendor/github.com/x/y.go',
      'third_party/zlib/inflate.c',
      'dist/bundle.js',
      'web/build/app.js',
      'static/jquery.min.js',
      'static/site.min.css',
      'package-lock.json',
      'web/yarn.lock',
      'pnpm-lock.yaml',
      'src/api.generated.ts',
      'proto/user_pb2.py',
      'proto/user.pb.go',
    ];
    for (const path of ignored) expect(firstMatchingGlob(path, DEFAULT_IGNORE), path).toBeDefined();
    for (const path of ['src/app.py', 'lib/build_tools.py', 'src/distance.c', 'cmd/vendoring.go']) {
      expect(firstMatchingGlob(path, DEFAULT_IGNORE), path).toBeUndefined();
    }
    expect(firstMatchingGlob('proto/user.pb.go', DEFAULT_IGNORE)).toBe('**/*.pb.go');
  });
});
