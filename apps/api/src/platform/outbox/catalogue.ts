/**
 * The catalogue of activity verbs: every (object type, verb) the modules write to the outbox, with
 * the TypeBox schema of its payload. The platform knows no feature, so the catalogue is composed:
 * each module declares its own verbs in its `catalogue-entries.ts` with `defineActivities`, and adds
 * them to the `ActivityCatalogue` interface below (declaration merging) for the compiler;
 * `apps/api/src/catalogue.ts` gathers every module's declarations. From that one catalogue:
 *  - writers are type-checked (`NewActivity`: a verb declared for its object type, with its
 *    payload), and checked again at run time before anything is written (`checkActivity`);
 *  - readers get `Activity`, a union discriminated by `objectType` and `verb`, whose payloads are
 *    typed once narrowed; rows read back from the database become `Activity` only through
 *    `readActivities`, which validates them and logs and skips any it refuses.
 */
import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Validator } from 'typebox/compile';

/** The payload schema of each verb. */
export type VerbSchemas = Record<string, TSchema>;

/** One module's verbs: the object types they are about, and each verb's payload schema. */
export interface ActivityDeclaration<O extends string = string, V extends VerbSchemas = VerbSchemas> {
  readonly objectTypes: readonly O[];
  readonly verbs: V;
}

/**
 * Every module's declarations, each under a name of the module's choosing. A module adds its own
 * in its catalogue-entries.ts:
 *
 *     declare module '../../platform/outbox/catalogue.ts' {
 *       interface ActivityCatalogue { discussions: typeof postActivities }
 *     }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface ActivityCatalogue {}

/** The (object type, verb, payload) entries of one declaration, one union member per pair. */
type EntriesOf<D> =
  D extends ActivityDeclaration<infer O, infer V>
    ? {
        [Verb in keyof V & string]: O extends string ? { objectType: O; verb: Verb; payload: Static<V[Verb]> } : never;
      }[keyof V & string]
    : never;

/** Every declared (object type, verb, payload). */
export type ActivityEntry = EntriesOf<ActivityCatalogue[keyof ActivityCatalogue]>;

/** The verbs of the catalogue (of any object type). */
export type Verb = ActivityEntry['verb'];

/** What every activity says besides its verb and payload. */
interface ActivityFields {
  objectId: string;
  actorId: string | null;
  countries: string[];
  themes: string[];
  isPublic: boolean;
}

type Checked = ActivityEntry extends infer E ? (E extends unknown ? E & ActivityFields : never) : never;

/** An activity to write: a declared verb of its object type, with that verb's payload. */
export type NewActivity = Checked & {
  /** Only for demo data written with past dates; otherwise the commit's now(). */
  createdAt?: Date;
};

/** A committed activity, read back and validated: narrow on `objectType` and `verb` for its payload. */
export type Activity = Checked & {
  id: string;
  createdAt: Date;
  /** The id of the transaction that wrote it (xid8 as text): with `id`, its place in the outbox. */
  xid: string;
};

/** An activity row as stored, before it is checked against the catalogue. */
export interface StoredActivity {
  id: string;
  verb: string;
  objectType: string;
  objectId: string;
  actorId: string | null;
  countries: string[];
  themes: string[];
  isPublic: boolean;
  payload: unknown;
  createdAt: Date;
  xid: string;
}

/** Told about a stored activity the catalogue refuses (unknown verb, payload not matching). */
export type OnInvalidActivity = (activity: StoredActivity, problem: string) => void;

/**
 * For readers given no way to log (tests): a stored activity the catalogue refuses is an error.
 * The app's readers log and skip it instead (`fastify.activities.onInvalid`).
 */
export const throwInvalid: OnInvalidActivity = (activity, problem) => {
  throw new Error(`Activity ${activity.id} is not readable: ${problem}`);
};

const validators = new Map<string, Validator>();
const keyOf = (objectType: string, verb: string) => `${objectType}/${verb}`;

/**
 * Declares a module's verbs for one object type or several: each (object type, verb) once in the
 * whole app (declaring one again throws).
 */
export function defineActivities<const O extends string, V extends VerbSchemas>(
  objectTypes: O | readonly O[],
  verbs: V,
): ActivityDeclaration<O, V> {
  const types: readonly O[] = typeof objectTypes === 'string' ? [objectTypes] : objectTypes;
  for (const objectType of types) {
    for (const [verb, schema] of Object.entries(verbs)) {
      const key = keyOf(objectType, verb);
      if (validators.has(key)) throw new Error(`The activity ${key} is declared twice`);
      validators.set(key, Compile(schema));
    }
  }
  return { objectTypes: types, verbs };
}

/** Why the catalogue refuses this activity, or null when its verb is declared and its payload matches. */
export function activityProblem(activity: { objectType: string; verb: string; payload: unknown }): string | null {
  const key = keyOf(activity.objectType, activity.verb);
  const validator = validators.get(key);
  if (!validator) return `the activity ${key} is not in the catalogue`;
  if (validator.Check(activity.payload)) return null;
  const [first] = validator.Errors(activity.payload);
  return `the payload of ${key} does not match its schema${first ? `: ${first.instancePath || '/'} ${first.message}` : ''}`;
}

/** Refuses, before it is written, an activity the catalogue does not declare as it is (a writer's bug). */
export function checkActivity(activity: NewActivity): void {
  const problem = activityProblem(activity);
  if (problem) throw new Error(`Refused to write an activity: ${problem}`);
}

/** Whether a stored activity is one the catalogue declares, with a matching payload (then it is typed). */
export function isActivity(activity: StoredActivity): activity is Activity & StoredActivity {
  return activityProblem(activity) === null;
}

/** The stored activities the catalogue accepts, in order; the others are told to `onInvalid` and left out. */
export function readActivities(rows: StoredActivity[], onInvalid: OnInvalidActivity): Activity[] {
  const activities: Activity[] = [];
  for (const row of rows) {
    if (isActivity(row)) activities.push(row);
    else onInvalid(row, activityProblem(row) ?? 'refused');
  }
  return activities;
}
