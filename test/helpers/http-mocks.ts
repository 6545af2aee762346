// HTTP mocks for things outside the machine (GitHub, hosted models): no real network, and a test
// fails when any mocked request was not made.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

export function useHttpMocks(): void {
  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'every mocked request was made').toEqual([]);
  });
  afterAll(() => {
    nock.enableNetConnect();
  });
}
