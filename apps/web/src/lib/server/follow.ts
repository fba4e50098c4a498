/**
 * The `follow` form action every page with a follow button shares: follows or unfollows a
 * country, theme, case, event or person through the API and answers the new state. Anonymous
 * visitors are sent to sign in, then back to the page, where the button offers to finish.
 */
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { FollowTypes, type FollowState, type FollowType } from '@opsi/contracts/follows';
import { apiFor, must } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { href } from '#lib/i18n.ts';
import { refusalOf } from '#lib/limits.ts';
import { backHere, withRedirect } from '#lib/redirect.ts';

const KEY = /^[a-z\d-]{2,40}$/i;

export type FollowResult =
  | { follow: FollowState }
  | {
      followProblem: string;
      /** Which button was refused (a page can have several). */
      followType?: string;
      followKey?: string;
      /** Refused by the follows-per-hour limit: seconds until it may be tried again. */
      retryAfter?: number;
    };

export async function followAction(event: RequestEvent) {
  const form = await event.request.formData();
  const type = String(form.get('type') ?? '');
  const key = String(form.get('key') ?? '');
  const on = form.get('on') === 'true';
  if (!event.locals.me) {
    // Back on this page, the button offers to finish (`?follow=type:key`).
    const intent: Record<string, string> =
      (FollowTypes as readonly string[]).includes(type) && KEY.test(key) ? { follow: `${type}:${key}` } : {};
    redirect(303, withRedirect(href('/login', event.locals.locale), backHere(event.url, intent)));
  }
  if (!(FollowTypes as readonly string[]).includes(type) || !KEY.test(key)) {
    return fail(400, { followProblem: 'type' });
  }
  try {
    const path = { type: type as FollowType, key };
    return {
      follow: await must(
        apiFor(event).request(on ? 'put' : 'delete', '/api/v1/follows/{type}/{key}', { params: { path } }),
      ),
    };
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) {
      const refusal = refusalOf(error);
      return fail(error.status, {
        followProblem: error.message,
        followType: type,
        followKey: key,
        ...(refusal ? { retryAfter: refusal.seconds } : {}),
      } satisfies FollowResult);
    }
    throw error;
  }
}
