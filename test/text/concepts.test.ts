import { describe, expect, it } from 'vitest';
import { conceptTokens } from '../../src/text/concepts.js';

describe('conceptTokens for C memory safety', () => {
  it('names arithmetic in an allocation size (integer overflow into a short buffer)', () => {
    expect(conceptTokens('buf = malloc(count * sizeof(*buf));')).toContain('concept:alloc-arith');
    expect(conceptTokens('buf = malloc(sizeof(*buf));')).not.toContain('concept:alloc-arith');
  });

  it('names an inclusive loop bound (off-by-one reads and writes)', () => {
    expect(conceptTokens('for (i = 0; i <= len; i++) out[i] = 0;')).toContain('concept:loop-inclusive-bound');
    expect(conceptTokens('for (i = 0; i < len; i++) out[i] = 0;')).not.toContain('concept:loop-inclusive-bound');
  });

  it('names a copy whose length is a variable', () => {
    expect(conceptTokens('memcpy(dst, src, len);')).toContain('concept:variable-length-copy');
    expect(conceptTokens('memcpy(dst, src, sizeof(hdr));')).not.toContain('concept:variable-length-copy');
  });

  it('names a pointer used after it was freed', () => {
    expect(conceptTokens('kfree(req);\nif (done) return req->status;')).toContain('concept:use-after-free');
    expect(conceptTokens('kfree(req);\nreq = NULL;\nreturn 0;')).not.toContain('concept:use-after-free');
  });

  it('names lookups that may return NULL, narrow integers and shifts', () => {
    expect(conceptTokens('dev = find_device(bus, id);')).toContain('concept:maybe-null-lookup');
    expect(conceptTokens('unsigned short port = 0;')).toContain('concept:narrow-int');
    expect(conceptTokens('v = hi << shift;')).toContain('concept:shift');
  });
});
