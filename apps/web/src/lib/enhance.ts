/**
 * `use:enhance` for the account forms: one submission at a time, password fields emptied after a
 * refused attempt (as they come back empty without JavaScript), and the form's values kept after
 * a success unless `reset` is asked for.
 */
import type { SubmitFunction } from '$app/forms';

export interface Pending {
  busy: boolean;
}

export function submitOnce(pending: Pending, options: { reset?: boolean } = {}): SubmitFunction {
  return ({ cancel, formElement }) => {
    if (pending.busy) {
      cancel();
      return;
    }
    pending.busy = true;
    return async ({ result, update }) => {
      try {
        if (result.type === 'failure') {
          for (const input of formElement.querySelectorAll<HTMLInputElement>('input[type="password"]')) {
            input.value = '';
          }
        }
        await update({ reset: options.reset ?? false });
      } finally {
        pending.busy = false;
      }
    };
  };
}
