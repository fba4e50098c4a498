/**
 * The catalogue of job kinds: every kind of job the modules enqueue, with the TypeBox schema of its
 * payload. Composed like the activity catalogue (platform/outbox/catalogue.ts): each module
 * declares its kinds in its `catalogue-entries.ts` with `defineJobs` and adds them to the
 * `JobCatalogue` interface below; `apps/api/src/catalogue.ts` gathers them all. From it:
 *  - `enqueueJobs` takes only declared kinds with their payloads (`NewJob`), checked again at run
 *    time before anything is written (`checkJob`);
 *  - the runner (plugins/jobs.ts) hands each handler, registered for one kind, a `Job` of that kind
 *    whose stored payload was validated (`isJob`); a job whose payload the catalogue refuses is
 *    logged and set aside, never run.
 */
import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Validator } from 'typebox/compile';

/** The payload schema of each kind. */
export type KindSchemas = Record<string, TSchema>;

/** One module's job kinds, each with its payload schema. */
export interface JobDeclaration<K extends KindSchemas = KindSchemas> {
  readonly kinds: K;
}

/**
 * Every module's declarations, each under a name of the module's choosing. A module adds its own
 * in its catalogue-entries.ts:
 *
 *     declare module '../../platform/jobs/catalogue.ts' {
 *       interface JobCatalogue { digests: typeof digestJobs }
 *     }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface JobCatalogue {}

type Declared = JobCatalogue[keyof JobCatalogue];
type KindsOf<D> = D extends JobDeclaration<infer K> ? K : never;

/** Every declared kind of job. */
export type JobKind = Declared extends infer D ? (D extends unknown ? keyof KindsOf<D> & string : never) : never;

/** The payload of a kind of job. */
export type JobPayload<K extends JobKind> = Declared extends infer D
  ? D extends unknown
    ? K extends keyof KindsOf<D>
      ? Static<KindsOf<D>[K]>
      : never
    : never
  : never;

/** A job to enqueue: a declared kind, with that kind's payload. */
export type NewJob = {
  [K in JobKind]: {
    kind: K;
    key: string;
    /** When it is due; when omitted, at once (the queue's own time: the database's now()). */
    runAt?: Date;
    payload: JobPayload<K>;
    /**
     * When this (kind, key) exists already, run it again at `runAt` even if it is done (for
     * handlers that are idempotent and check whether they are still due, like the event
     * reminders of a start time an event is moved back to). Otherwise an existing (kind, key)
     * is left as it is.
     */
    reschedule?: boolean;
  };
}[JobKind];

/** A claimed job as stored, before its payload is checked against the catalogue. */
export interface JobRow {
  id: string;
  kind: string;
  key: string;
  runAt: Date;
  payload: Record<string, unknown>;
  attempts: number;
}

/** A claimed job of kind K whose payload the catalogue accepts. */
export type Job<K extends JobKind = JobKind> = {
  [Kind in K]: JobRow & { kind: Kind; payload: JobPayload<Kind> };
}[K];

const validators = new Map<string, Validator>();

/** Declares a module's kinds of job: each kind once in the whole app (declaring one again throws). */
export function defineJobs<K extends KindSchemas>(kinds: K): JobDeclaration<K> {
  for (const [kind, schema] of Object.entries(kinds)) {
    if (validators.has(kind)) throw new Error(`The job kind ${kind} is declared twice`);
    validators.set(kind, Compile(schema));
  }
  return { kinds };
}

/** Whether a kind of job is in the catalogue. */
export function isJobKind(kind: string): kind is JobKind {
  return validators.has(kind);
}

/** Every declared kind of job (once the modules' catalogue entries are imported: apps/api/src/catalogue.ts). */
export function declaredJobKinds(): string[] {
  return [...validators.keys()];
}

/** Why the catalogue refuses this job, or null when its kind is declared and its payload matches. */
export function jobProblem(job: { kind: string; payload: unknown }): string | null {
  const validator = validators.get(job.kind);
  if (!validator) return `the job kind ${job.kind} is not in the catalogue`;
  if (validator.Check(job.payload)) return null;
  const [first] = validator.Errors(job.payload);
  return `the payload of a ${job.kind} job does not match its schema${first ? `: ${first.instancePath || '/'} ${first.message}` : ''}`;
}

/** Refuses, before it is written, a job the catalogue does not declare as it is (a writer's bug). */
export function checkJob(job: NewJob): void {
  const problem = jobProblem(job);
  if (problem) throw new Error(`Refused to enqueue a job: ${problem}`);
}

/** Whether a claimed job is of this kind with a payload the catalogue accepts (then it is typed). */
export function isJob<K extends JobKind>(kind: K, row: JobRow): row is Job<K> {
  return row.kind === kind && jobProblem(row) === null;
}
