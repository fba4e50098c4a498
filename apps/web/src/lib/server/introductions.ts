/** The introductions' form actions (matches page, home page): asking, accepting, declining. */
import { fail, type RequestEvent } from '@sveltejs/kit';
import { INTRODUCTION_MESSAGE_MAX } from '@opsi/contracts/introductions';
import { apiFor, must } from '#lib/api/client.ts';
import { HANDLE } from '#lib/input-rules.ts';
import { m } from '#lib/paraglide/messages.js';
import { formProblem, text } from '#lib/server/forms.ts';
import { signedIn } from '#lib/server/signed-in.ts';

/** Asks for an introduction: `handle`, `name` (for the sentence) and `message`. */
export async function askAction(event: RequestEvent) {
  signedIn(event);
  const data = await event.request.formData();
  const handle = text(data, 'handle');
  const name = text(data, 'name').slice(0, 100);
  const message = (data.get('message') as string | null)?.replace(/\r\n?/g, '\n').trim() ?? '';
  if (!HANDLE.test(handle)) return fail(400, { handle, alert: m.form_failed(), message, error: null });
  if (!message) return fail(400, { handle, message, error: m.intro_message_missing(), alert: null });
  if ([...message].length > INTRODUCTION_MESSAGE_MAX) {
    return fail(400, {
      handle,
      message,
      error: m.intro_message_too_long({ max: INTRODUCTION_MESSAGE_MAX }),
      alert: null,
    });
  }
  try {
    await must(apiFor(event).POST('/api/v1/introductions', { body: { handle, message } }));
  } catch (error) {
    const problem = formProblem(error);
    const said = problem.errors.message ?? problem.errors.handle ?? problem.errors.openToIntroductions ?? null;
    return fail(problem.status, { handle, message, error: said, alert: said ? null : problem.alert });
  }
  return { asked: name || handle };
}

/** Accepts or declines a request (`id`, `name`), as the form's button says (`decision`). */
export async function decideAction(event: RequestEvent) {
  signedIn(event);
  const data = await event.request.formData();
  const id = text(data, 'id');
  const name = text(data, 'name').slice(0, 100);
  const decision = text(data, 'decision') === 'accept' ? 'accept' : 'decline';
  if (!/^[1-9]\d{0,18}$/.test(id)) return fail(400, { alert: m.form_failed() });
  const path = decision === 'accept' ? '/api/v1/introductions/{id}/accept' : '/api/v1/introductions/{id}/decline';
  try {
    await must(apiFor(event).POST(path, { params: { path: { id } } }));
  } catch (error) {
    // The API's reason in words (already answered, a block between you…), else the general one.
    const problem = formProblem(error);
    return fail(problem.status, { alert: problem.alert ?? problem.errors.id ?? m.form_failed() });
  }
  return { decided: decision, name };
}
