import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { LiveStreamFeed, messageView } from '../../../client/panel/liveStream';
import { type StreamMessageView } from '../../../client/panel/messages';
import { type StreamMessage } from '../../../engine/model';

function event(n: number): StreamMessage {
  return { at: n, direction: 'received', type: 'tick', id: String(n), data: `{"n":${n}}` };
}

interface Post {
  readonly messages: readonly StreamMessageView[];
  readonly count: number;
  /** Delivers the post (the webview has it); until then the feed sends nothing more. */
  deliver(delivered?: boolean): void;
}

/** A feed whose posts wait until the test delivers them, with a way to wait for the next post. */
function heldFeed(options: { maxBatch?: number; maxPending?: number; batchIntervalMs?: number } = {}): { feed: LiveStreamFeed; posts: Post[]; nextPost: () => Promise<Post> } {
  const posts: Post[] = [];
  let waiter: ((post: Post) => void) | undefined;
  const feed = new LiveStreamFeed({
    ...options,
    post: (messages, count) =>
      new Promise<boolean>((resolve) => {
        const post = { messages, count, deliver: (delivered = true) => resolve(delivered) };
        posts.push(post);
        const wake = waiter;
        waiter = undefined;
        wake?.(post);
      }),
  });
  const nextPost = (): Promise<Post> => new Promise((resolve) => (waiter = resolve));
  return { feed, posts, nextPost };
}

describe('LiveStreamFeed: a stream\'s messages to the webview in batches', () => {
  test('a message is posted within a frame, with the others that came meanwhile, JSON pretty-printed', async () => {
    const { feed, nextPost } = heldFeed({ batchIntervalMs: 16 });
    const posted = nextPost();
    feed.add(event(1));
    feed.add(event(2));
    const post = await posted;
    assert.deepEqual(post.messages.map((message) => message.id), ['1', '2']);
    assert.equal(post.count, 2);
    assert.deepEqual(post.messages[0], { at: 1, direction: 'received', type: 'tick', id: '1', dataKind: 'json', data: '{\n  "n": 1\n}', omitted: 0 });
    post.deliver();
    await feed.close();
  });

  test('a full batch goes at once; the next waits until the webview has the first', async () => {
    const { feed, posts } = heldFeed({ maxBatch: 100, maxPending: 1000, batchIntervalMs: 60_000 });
    for (let n = 1; n <= 250; n++) feed.add(event(n));
    assert.equal(posts.length, 1, 'one post on its way at a time');
    assert.equal(posts[0]?.messages.length, 100);
    assert.equal(posts[0]?.count, 100, 'the count is that of the batch\'s last message');
    assert.equal(feed.waiting, 150);
    const closed = feed.close();
    for (let index = 0; index < 3; index++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      posts[index]?.deliver();
    }
    await closed;
    assert.deepEqual(posts.map((post) => post.messages.length), [100, 100, 50]);
    assert.deepEqual(posts.flatMap((post) => post.messages.map((message) => Number(message.id))), Array.from({ length: 250 }, (_, index) => index + 1), 'every message, in order, when the webview keeps up');
    assert.equal(posts.at(-1)?.count, 250);
    feed.add(event(251));
    assert.equal(feed.count, 250, 'nothing is taken after close');
  });

  test('a flood while the webview is busy keeps memory bounded: the oldest waiting are skipped, the count stays true', async () => {
    const { feed, posts } = heldFeed({ maxBatch: 100, maxPending: 500, batchIntervalMs: 60_000 });
    for (let n = 1; n <= 100_000; n++) {
      feed.add(event(n));
      assert.ok(feed.waiting < 1000, `at most twice maxPending wait (${feed.waiting} after ${n})`);
    }
    assert.equal(posts.length, 1);
    const closed = feed.close();
    for (let index = 0; index < 10; index++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      posts[index]?.deliver();
    }
    await closed;
    const after = posts.slice(1);
    assert.equal(after.reduce((sum, post) => sum + post.messages.length, 0), 500, 'the last maxPending messages go after the busy post');
    assert.equal(after[0]?.messages[0]?.id, '99501');
    assert.equal(after.at(-1)?.messages.at(-1)?.id, '100000');
    assert.equal(after.at(-1)?.count, 100_000);
    assert.equal(feed.recent.length, 500, 'a reloaded page gets the last messages shown');
    assert.equal(feed.recent.at(-1)?.id, '100000');
  });

  test('a panel that is gone (post answers false) stops the feed', async () => {
    const { feed, posts } = heldFeed({ maxBatch: 10, batchIntervalMs: 60_000 });
    for (let n = 1; n <= 25; n++) feed.add(event(n));
    posts[0]?.deliver(false);
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => setImmediate(resolve));
    feed.add(event(26));
    assert.equal(posts.length, 1, 'nothing more is posted to a closed panel');
    await feed.close();
  });

  test('binary data is summarised and long text clipped', () => {
    const binary = messageView({ at: 0, direction: 'received', type: 'binary', id: undefined, data: Uint8Array.from([1, 2, 255]) });
    assert.equal(binary.data, '[binary, 3 B] 01 02 ff');
    const long = messageView({ at: 0, direction: 'sent', type: 'text', id: undefined, data: 'x'.repeat(100) }, 10);
    assert.deepEqual([long.data, long.omitted], ['x'.repeat(10), 90]);
  });
});
