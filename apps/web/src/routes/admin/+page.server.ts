import { fail } from '@sveltejs/kit';
import { Roles, type Role } from '@opsi/contracts/accounts';
import { apiFor, must } from '#lib/api/client.ts';
import { m } from '#lib/paraglide/messages.js';
import { adminOnly } from '#lib/server/admin-only.ts';
import { formProblem, text } from '#lib/server/forms.ts';
import type { FieldErrors } from '#lib/forms.ts';
import type { Actions, PageServerLoad } from './$types';

const isRole = (value: string): value is Role => (Roles as readonly string[]).includes(value);

export const load: PageServerLoad = async (event) => {
  adminOnly(event);
  const params = event.url.searchParams;
  const q = (params.get('q') ?? '').trim().slice(0, 100);
  const roleParam = params.get('role') ?? '';
  const role = isRole(roleParam) ? roleParam : undefined;
  const suspended = params.get('suspended') === 'true';
  const cursor = params.get('cursor') ?? undefined;
  const query = {
    limit: 20,
    ...(q ? { q } : {}),
    ...(role ? { role } : {}),
    ...(suspended ? { suspended: true } : {}),
    ...(cursor ? { cursor } : {}),
  };
  const people = await must(apiFor(event).GET('/api/v1/admin/people', { params: { query } }));
  const next = new URLSearchParams();
  if (q) next.set('q', q);
  if (role) next.set('role', role);
  if (suspended) next.set('suspended', 'true');
  const first = next.toString();
  if (people.nextCursor) next.set('cursor', people.nextCursor);
  return {
    filters: { q, role: role ?? '', suspended },
    people: people.items,
    nextQuery: people.nextCursor ? next.toString() : null,
    firstQuery: cursor ? first : null,
  };
};

export const actions: Actions = {
  role: async (event) => {
    adminOnly(event);
    const data = await event.request.formData();
    const handle = text(data, 'handle');
    const name = text(data, 'name').slice(0, 100) || handle;
    const role = text(data, 'role');
    const reason = text(data, 'reason');
    const errors: FieldErrors = {};
    if (!isRole(role)) errors.role = m.form_field_invalid();
    if (!reason) errors.reason = m.admin_reason_missing();
    if (!isRole(role) || !reason) return fail(400, { handle, errors, alert: null, values: { role, reason } });
    try {
      await must(
        apiFor(event).PUT('/api/v1/admin/people/{handle}/role', {
          params: { path: { handle } },
          body: { role, reason },
        }),
      );
    } catch (error) {
      const problem = formProblem(error);
      return fail(problem.status, { handle, errors: problem.errors, alert: problem.alert, values: { role, reason } });
    }
    return { saved: { name, role } };
  },
};
