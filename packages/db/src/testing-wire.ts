/**
 * For tests: what pg's connections put on the wire and when PostgreSQL's answer to each was
 * complete, in order (pg's Query: `submit` writes a statement to the socket; `handleReadyForQuery`
 * handles its last message back). Tells a round trip per statement from statements sent together.
 */
import pg from 'pg';

export interface WireEvent {
  /** The pg connection it went over (to tell one transaction's statements from others'). */
  connection: unknown;
  /** `sent <text>` or `answered <text>`. */
  event: string;
}

type Patched = {
  text: string;
  submit: (connection: unknown) => unknown;
  handleReadyForQuery: (connection: unknown) => unknown;
};

/** Runs `run` while recording every statement's sending and answer. */
export async function recordingWire<T>(run: () => Promise<T>): Promise<{ result: T; events: WireEvent[] }> {
  const events: WireEvent[] = [];
  const proto = pg.Query.prototype as unknown as Patched;
  const { submit, handleReadyForQuery } = proto;
  proto.submit = function sent(this: Patched, connection: unknown) {
    events.push({ connection, event: `sent ${this.text}` });
    return submit.call(this, connection);
  };
  proto.handleReadyForQuery = function answered(this: Patched, connection: unknown) {
    events.push({ connection, event: `answered ${this.text}` });
    return handleReadyForQuery.call(this, connection);
  };
  try {
    return { result: await run(), events };
  } finally {
    proto.submit = submit;
    proto.handleReadyForQuery = handleReadyForQuery;
  }
}
