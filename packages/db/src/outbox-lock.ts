/**
 * The advisory lock every transaction that writes activities takes, shared, as its first statement
 * (before it has a transaction id): the outbox's readers wait only for transactions that hold it
 * (apps/api/src/platform/outbox/repository.ts). Shared, so writers never wait for one another.
 */
export const OUTBOX_WRITERS_LOCK = 7_331_004;
