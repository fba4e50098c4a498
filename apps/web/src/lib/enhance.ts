/**
 * `use:enhance` for the account forms: one submission at a time, password fields emptied after a
 * refused attempt (as they come back empty without JavaScript), and the form's values kept after
 * a success unless `reset` is asked for.
 */
import type { SubmitFunction } from '$app/forms';

/**
 * Whether a submission is under way (nothing renders it: a plain object is enough), and whether an
 * answer came back through JavaScript: then the page did not reload and the person is still by the
 * button, so that is where a "saved" notice goes (after a plain POST the page opens at its top).
 */
export interface Pending {
  busy: boolean;
  answered?: boolean;
}

/**
 * `pending`: one state shared by several forms that must not be sent at the same time (the revoke
 * buttons of a list); by default each form has its own.
 */
export function submitOnce({
  reset = false,
  pending = { busy: false },
}: { reset?: boolean; pending?: Pending } = {}): SubmitFunction {
  return ({ cancel, formElement }) => {
    if (pending.busy) {
      cancel();
      return;
    }
    pending.busy = true;
    return async ({ result, update }) => {
      pending.answered = true;
      try {
        if (result.type === 'failure') {
          for (const input of formElement.querySelectorAll<HTMLInputElement>('input[type="password"]')) {
            input.value = '';
          }
        }
        await update({ reset });
      } finally {
        pending.busy = false;
      }
    };
  };
}
