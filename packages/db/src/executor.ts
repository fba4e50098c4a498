/**
 * What repositories run their statements on: the database itself, or a transaction a service
 * opened (so one function serves both, and a caller decides what commits together).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from './schema.ts';

export type Executor = Kysely<Schema> | Transaction<Schema>;

/** A transaction a service opened, for repositories that must run inside one (they lock rows). */
export type TransactionExecutor = Transaction<Schema>;
