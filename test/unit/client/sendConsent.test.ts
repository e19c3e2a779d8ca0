import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { scriptPermission, SendConsent, sendAlwaysChoice, sendChoice, untrustedScriptsReason } from '../../../client/sendConsent';

describe('SendConsent (the untrusted-workspace gate)', () => {
  test('a trusted workspace sends without asking', () => {
    assert.equal(new SendConsent().questionFor('login', true), undefined);
  });

  test('an untrusted workspace asks first, naming the request, with Send and Send and Do Not Ask Again', () => {
    const question = new SendConsent().questionFor('POST https://api.example.com/items', false);
    assert.equal(question?.message, 'Courier: this workspace is not trusted. Send POST https://api.example.com/items?');
    assert.match(question.detail, /files, environment values or cookies/);
    assert.deepEqual(question.choices, [sendChoice, sendAlwaysChoice]);
  });

  test('Send sends this once: the next request asks again', () => {
    const consent = new SendConsent();
    assert.equal(consent.answer(sendChoice), true);
    assert.notEqual(consent.questionFor('next', false), undefined);
  });

  test('Send and Do Not Ask Again sends and stops asking for this window', () => {
    const consent = new SendConsent();
    assert.equal(consent.answer(sendAlwaysChoice), true);
    assert.equal(consent.questionFor('next', false), undefined);
    assert.equal(new SendConsent().questionFor('next', false) !== undefined, true, 'a new window asks again');
  });

  test('a dismissed dialog (Escape, Cancel) or an unknown answer sends nothing and keeps asking', () => {
    const consent = new SendConsent();
    assert.equal(consent.answer(undefined), false);
    assert.equal(consent.answer('Cancel'), false);
    assert.notEqual(consent.questionFor('next', false), undefined);
  });
});

describe('scriptPermission (scripts in an untrusted workspace)', () => {
  test('a trusted workspace runs scripts', () => {
    assert.deepEqual(scriptPermission(true), { run: true });
  });

  test('an untrusted one does not, and says why in the words its skipped tests show', () => {
    assert.deepEqual(scriptPermission(false), { run: false, reason: 'scripts run only in a trusted workspace' });
    assert.equal(untrustedScriptsReason, 'scripts run only in a trusted workspace');
  });
});
