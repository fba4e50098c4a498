import { describe, expect, it } from 'vitest';
import { submitOnce } from './enhance.ts';

type Input = Parameters<ReturnType<typeof submitOnce>>[0];
/** What runs after the answer (SvelteKit's own types are not needed to call it here). */
type After = (opts: {
  result: { type: string; status: number };
  update: (o?: { reset?: boolean }) => Promise<void>;
}) => Promise<void>;

/** Starts a submission of a form with one password field; whether it was cancelled, and how to finish it. */
function submit(enhance: ReturnType<typeof submitOnce>) {
  const password = { value: 'typed' };
  let cancelled = false;
  const formElement = { querySelectorAll: () => [password] };
  const after = enhance({ cancel: () => (cancelled = true), formElement } as unknown as Input) as unknown as
    After | undefined;
  const resets: (boolean | undefined)[] = [];
  return {
    cancelled,
    password,
    resets,
    finish: (type: 'success' | 'failure') =>
      after!({
        result: { type, status: type === 'failure' ? 400 : 200 },
        update: async (o) => void resets.push(o?.reset),
      }),
  };
}

describe('submitOnce', () => {
  it('lets one submission through at a time, then the next', async () => {
    const enhance = submitOnce();
    const first = submit(enhance);
    expect(first.cancelled).toBe(false);
    expect(submit(enhance).cancelled).toBe(true);
    await first.finish('success');
    expect(submit(enhance).cancelled).toBe(false);
  });

  it('gives each form its own turn, unless they share a pending state', () => {
    expect(submit(submitOnce()).cancelled).toBe(false);
    expect(submit(submitOnce()).cancelled).toBe(false);
    const pending = { busy: false };
    expect(submit(submitOnce({ pending })).cancelled).toBe(false);
    expect(submit(submitOnce({ pending })).cancelled).toBe(true);
  });

  it('empties password fields after a refusal, keeps the values unless reset is asked for', async () => {
    const refused = submit(submitOnce());
    await refused.finish('failure');
    expect(refused.password.value).toBe('');
    expect(refused.resets).toEqual([false]);
    const saved = submit(submitOnce({ reset: true }));
    await saved.finish('success');
    expect(saved.password.value).toBe('typed');
    expect(saved.resets).toEqual([true]);
  });
});
