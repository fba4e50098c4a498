import { describe, expect, it } from 'vitest';
import { CaseListQuery, Stages } from '@opsi/contracts/cases';
import { ErrorCodes } from '@opsi/contracts/common';
import * as common from '@opsi/contracts/common';
import { contractsAsData } from './contracts-data.ts';

/** Evaluates the generated module text and returns its exports. */
async function load(code: string): Promise<Record<string, unknown>> {
  return (await import(`data:text/javascript,${encodeURIComponent(code)}`)) as Record<string, unknown>;
}

describe('contractsAsData', () => {
  it('gives the same values as the real contract modules, without TypeBox', async () => {
    const data = await load(contractsAsData('cases', { CaseListQuery, Stages }));
    expect(data.Stages).toEqual(Stages);
    // The same JSON Schema keywords the web app reads (limits, patterns); TypeBox's symbol keys go.
    expect(data.CaseListQuery).toEqual(JSON.parse(JSON.stringify(CaseListQuery)));
    expect((data.CaseListQuery as typeof CaseListQuery).properties.q).toMatchObject({ maxLength: expect.any(Number) });
  });

  it('carries a whole contract module, leaving its functions out', async () => {
    const data = await load(contractsAsData('common', common));
    expect(data.ErrorCodes).toEqual(ErrorCodes);
    expect('Page' in data).toBe(false);
  });

  it('refuses what JSON would change, naming it', () => {
    expect(() => contractsAsData('x', { Pattern: { pattern: /a/ } })).toThrow('@opsi/contracts/x: Pattern.pattern');
    expect(() => contractsAsData('x', { Limit: { maximum: Number.POSITIVE_INFINITY } })).toThrow(
      '@opsi/contracts/x: Limit.maximum is Infinity',
    );
    expect(() => contractsAsData('x', { Lists: [new Map()] })).toThrow('@opsi/contracts/x: Lists[0] is not plain data');
  });
});
