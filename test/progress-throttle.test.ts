import { describe, expect, it } from 'vitest';
import type { IProgress } from '../proto/builder.js';
import { Phase } from '../proto/builder.js';
import { ProgressThrottle } from '../agent/server/progress-throttle.js';

/** A manual clock; timers are real but the throttle's notion of "now" is ours. */
function setup(intervalMs = 250) {
  let now = 0;
  const sent: IProgress[] = [];
  const throttle = new ProgressThrottle((update) => sent.push(update), intervalMs, () => now);
  return { throttle, sent, advance: (ms: number) => (now += ms) };
}

describe('ProgressThrottle', () => {
  it('sends the first update and every phase change at once, coalescing the rest', () => {
    const { throttle, sent, advance } = setup();
    throttle.push({ phase: Phase.APPLY, bytes_done: 1 });
    for (let i = 2; i <= 50; i++) {
      advance(1);
      throttle.push({ phase: Phase.APPLY, bytes_done: i });
    }
    expect(sent.map((p) => p.bytes_done)).toEqual([1]);
    advance(1);
    throttle.push({ phase: Phase.MKFS });
    expect(sent.map((p) => p.phase)).toEqual([Phase.APPLY, Phase.MKFS]);
    throttle.finish();
  });

  it('sends the latest pending update when the interval has passed', async () => {
    const { throttle, sent, advance } = setup(20);
    throttle.push({ phase: Phase.APPLY, bytes_done: 1 });
    throttle.push({ phase: Phase.APPLY, bytes_done: 2 });
    throttle.push({ phase: Phase.APPLY, bytes_done: 3 });
    advance(20);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sent.map((p) => p.bytes_done)).toEqual([1, 3]);
    advance(5);
    throttle.push({ phase: Phase.APPLY, bytes_done: 4 });
    throttle.finish();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sent.map((p) => p.bytes_done)).toEqual([1, 3]);
  });

  it('never lets a pending update of an old phase follow a newer phase', async () => {
    const { throttle, sent } = setup(20);
    throttle.push({ phase: Phase.APPLY, bytes_done: 1 });
    throttle.push({ phase: Phase.APPLY, bytes_done: 2 });
    throttle.push({ phase: Phase.MKFS });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sent.map((p) => [p.phase, p.bytes_done])).toEqual([
      [Phase.APPLY, 1],
      [Phase.MKFS, undefined],
    ]);
    throttle.finish();
  });
});
