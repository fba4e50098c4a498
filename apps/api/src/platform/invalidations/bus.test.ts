import { describe, expect, it } from 'vitest';
import { ALL, createInvalidationBus } from './bus.ts';

describe('the invalidation bus', () => {
  it('tells every listener of every topic to drop everything when messages may have been missed', () => {
    const bus = createInvalidationBus(async () => undefined);
    const heard: string[] = [];
    bus.on('session', (key) => heard.push(`session ${key}`));
    bus.on('user', (key) => heard.push(`user ${key}`));
    bus.on('user', (key) => heard.push(`user again ${key}`));
    bus.receive('session:abc');
    bus.missed();
    expect(heard).toEqual(['session abc', `session ${ALL}`, `user ${ALL}`, `user again ${ALL}`]);
  });
});
