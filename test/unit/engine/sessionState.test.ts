import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { Session, type SessionSlot } from '../../../engine/session';

describe('session state', () => {
  const globals: SessionSlot<Map<string, string>> = { name: 'script globals', create: () => new Map() };
  const tokens: SessionSlot<{ count: number }> = { name: 'tokens', create: () => ({ count: 0 }) };

  test('a slot is made on first use, kept for the session, separate per slot and per session, and forgotten on close', async () => {
    const first = await Session.open({ environment: {} });
    const second = await Session.open({ environment: {} });
    try {
      first.state.get(globals).set('auth_token', 'abc');
      first.state.get(tokens).count++;
      assert.equal(first.state.get(globals).get('auth_token'), 'abc');
      assert.equal(first.state.get(tokens).count, 1);
      assert.deepEqual(first.state.names(), ['script globals', 'tokens']);
      assert.equal(second.state.get(globals).size, 0, 'another session has its own');
    } finally {
      await first.close();
      await second.close();
    }
    assert.deepEqual(first.state.names(), []);
    assert.equal(first.state.get(globals).size, 0);
  });
});
