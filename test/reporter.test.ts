/**
 * The reporter on a stream that is not a TTY (`auto`, the default): a long
 * job prints JSON progress lines on stderr periodically; a short one, or one
 * that fails on its input at once, prints nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createReporter } from '../src/util/log.js';

function sink(): { stream: NodeJS.WriteStream; lines: () => Record<string, unknown>[] } {
  let text = '';
  const w = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  return { stream: w, lines: () => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('auto on a non-TTY: quiet at first, then JSON progress lines at most once per period per task', async () => {
  const { stream, lines } = sink();
  const reporter = createReporter('auto', stream, 100);
  const task = reporter.task('vectors', 1000);
  let done = 0;
  for (; done < 10; done++) task.tick(done, { objective: 1 / (done + 1) });
  assert.deepEqual(lines(), [], 'nothing in the first period');
  const until = Date.now() + 450;
  while (Date.now() < until) {
    task.tick(++done);
    await sleep(5);
  }
  task.end({ epochs: done });
  reporter.event('chosen', { C: 1 });
  const out = lines();
  const progress = out.filter((l) => l.event === 'progress');
  assert.ok(progress.length >= 2 && progress.length <= 5, `${progress.length} progress lines in ~0.45 s at one per 0.1 s`);
  assert.ok(progress.every((l) => l.task === 'vectors' && l.total === 1000 && typeof l.done === 'number' && typeof l.time === 'string'));
  assert.deepEqual(out.slice(-2).map((l) => l.event), ['end', 'chosen']);
});

test('auto on a non-TTY: a job that ends within the first period prints nothing; json prints everything; quiet nothing', () => {
  for (const [format, expected] of [['auto', 0], ['json', 13], ['quiet', 0]] as const) {
    const { stream, lines } = sink();
    const reporter = createReporter(format, stream, 10_000);
    const task = reporter.task('read', 10);
    for (let i = 1; i <= 10; i++) task.tick(i);
    task.end();
    reporter.event('corpus', { documents: 10 });
    assert.equal(lines().length, expected, format);
  }
});
