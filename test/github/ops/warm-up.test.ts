// The warm-up runs the real analyzers' probes and loads the real grammars: nothing is mocked.
import { describe, expect, it } from 'vitest';
import { BanditAnalyzer } from '../../../src/analyze/bandit.js';
import { CppcheckAnalyzer } from '../../../src/analyze/cppcheck.js';
import { analyzersDetail, warmUp } from '../../../src/github/ops/warm-up.js';
import type { ReadinessCheck } from '../../../src/github/ops/ops-routes.js';

async function settled(check: () => ReadinessCheck): Promise<ReadinessCheck> {
  for (let waited = 0; waited < 30_000; waited += 50) {
    const now = check();
    if (now.detail?.startsWith('checking') !== true) return now;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the warm-up did not finish in 30 s');
}

describe('warmUp', () => {
  it('is not ready while it checks, then ready, naming the analyzers that run and why the others do not', async () => {
    let reported: ReadinessCheck | undefined;
    const check = warmUp([new BanditAnalyzer(), new CppcheckAnalyzer({ bin: '/nonexistent/cppcheck' })], (done) => {
      reported = done;
    });
    expect(check()).toEqual({ ok: false, detail: 'checking the analyzers and loading the grammars' });
    const done = await settled(check);
    expect(done.ok).toBe(true);
    expect(done.detail).toMatch(/^judging with bandit; not usable: cppcheck \(spawn \/nonexistent\/cppcheck ENOENT\)$/);
    expect(reported).toEqual(done);
  });

  it('says plainly when no analyzer runs: rewrites go out unjudged', () => {
    expect(analyzersDetail([{ name: 'bandit', ok: false, why: 'python3 cannot import bandit' }])).toBe(
      'no analyzer runs here: rewrites are posted unjudged, and check runs say so; not usable: bandit (python3 cannot import bandit)',
    );
  });
});
