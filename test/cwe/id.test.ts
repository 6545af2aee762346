import { describe, expect, it } from 'vitest';
import { cweId, formatCweId, normalizeCwe } from '../../src/cwe/id.js';
import { cweIdSchema } from '../../src/cwe/schema.js';

describe('cweId', () => {
  it('normalizes numbers and the spellings tools use', () => {
    expect(cweId(787)).toBe('CWE-787');
    expect(cweId('CWE-089')).toBe('CWE-89');
    expect(cweId('cwe-89')).toBe('CWE-89');
    expect(cweId(' cwe89 ')).toBe('CWE-89');
    expect(cweId('0')).toBeUndefined();
    expect(cweId('cwe-000')).toBeUndefined();
    expect(cweId('none')).toBeUndefined();
  });
});

describe('normalizeCwe', () => {
  it('normalizes CWE spellings and rejects others', () => {
    expect(normalizeCwe('cwe-089')).toBe('CWE-89');
    expect(normalizeCwe('CWE-79')).toBe('CWE-79');
    expect(normalizeCwe('787')).toBe('CWE-787');
    expect(() => normalizeCwe('SQL injection')).toThrow(/invalid CWE "SQL injection"/);
    expect(() => normalizeCwe('CWE-0')).toThrow(/invalid CWE/);
  });
});

describe('formatCweId', () => {
  it('formats a CWE number and refuses what is none', () => {
    expect(formatCweId(78)).toBe('CWE-78');
    expect(() => formatCweId(0)).toThrow(RangeError);
    expect(() => formatCweId(7.5)).toThrow(RangeError);
  });
});

describe('cweIdSchema', () => {
  it('accepts only the stored spelling', () => {
    expect(cweIdSchema.safeParse('CWE-89').success).toBe(true);
    for (const other of ['cwe-89', 'CWE-089', '89', 'CWE-0']) expect(cweIdSchema.safeParse(other).success).toBe(false);
    expect(cweIdSchema.safeParse('89').error?.issues[0]?.message).toBe('expected a CWE id like "CWE-89"');
  });
});
