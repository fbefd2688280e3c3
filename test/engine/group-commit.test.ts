import { describe, expect, it } from 'vitest';
import type { LaurelError } from '../../src/domain/errors.js';
import { GroupCommit } from '../../src/engine/group-commit.js';
import { unavailableError } from '../../src/store/availability.js';

/**
 * A queue whose commits are recorded. Odd negative inputs are refused up front (the rest of their
 * group commits); even negative ones make the whole group's transaction fail.
 */
/** `hold`: commits wait for it (a test's gate) instead of 5 ms, so a slow machine cannot reorder arrivals. */
function recordingQueue(maxSize = 10, concurrency = 1, hold?: Promise<void>) {
  const groups: number[][] = [];
  const inFlight = { now: 0, most: 0 };
  const queue = new GroupCommit<number, string>({
    maxSize,
    concurrency,
    commit: async (inputs) => {
      groups.push([...inputs]);
      inFlight.most = Math.max(inFlight.most, ++inFlight.now);
      await (hold ?? new Promise((resolve) => setTimeout(resolve, 5)));
      inFlight.now -= 1;
      if (inputs.some((i) => i < 0 && i % 2 === 0)) throw new Error(`bad input in ${inputs.join(',')}`);
      return inputs.map((i) => (i < 0 ? { ok: false, error: new Error(`refused ${i}`) } : { ok: true, value: `done ${i}` }));
    },
  });
  return { queue, groups, inFlight };
}

describe('group commit', () => {
  it('groups the requests of one turn of the event loop, then what arrives while that group commits', async () => {
    const { queue, groups } = recordingQueue();
    const first = [1, 2].map((i) => queue.submit('a', i, 1));
    await new Promise((resolve) => setImmediate(resolve));
    expect(groups).toEqual([[1, 2]]);
    const later = [3, 4].map((i) => queue.submit('a', i, 1));
    expect(await Promise.all([...first, ...later])).toEqual(['done 1', 'done 2', 'done 3', 'done 4']);
    expect(groups).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('keeps a group within its size and lanes apart', async () => {
    const { queue, groups } = recordingQueue(5);
    await Promise.all([
      queue.submit('a', 1, 1),
      queue.submit('a', 2, 3),
      queue.submit('a', 3, 3),
      queue.submit('b', 4, 1),
      queue.submit('a', 5, 9),
    ]);
    expect(groups).toEqual([[1, 2], [4], [3], [5]]);
  });

  const outcomes = (settled: PromiseSettledResult<string>[]) =>
    settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message));

  it('refuses a request the commit can tell is bad, and commits the rest of its group', async () => {
    const { queue, groups } = recordingQueue();
    const settled = await Promise.allSettled([1, 2, -3, 4].map((i) => queue.submit('a', i, 1)));
    expect(outcomes(settled)).toEqual(['done 1', 'done 2', 'refused -3', 'done 4']);
    expect(groups).toEqual([[1, 2, -3, 4]]);
  });

  it('runs a failed group again one by one, so only the bad request fails', async () => {
    const { queue, groups } = recordingQueue();
    const settled = await Promise.allSettled([1, 2, -4, 3].map((i) => queue.submit('a', i, 1)));
    expect(outcomes(settled)).toEqual(['done 1', 'done 2', 'bad input in -4', 'done 3']);
    expect(groups).toEqual([[1, 2, -4, 3], [1], [2], [-4], [3]]);
  });

  it('tells every request of a group at once when the store cannot serve, without running each alone', async () => {
    const groups: number[][] = [];
    const queue = new GroupCommit<number, string>({
      maxSize: 10,
      commit: async (inputs) => {
        groups.push([...inputs]);
        throw unavailableError('database');
      },
    });
    const settled = await Promise.allSettled([1, 2, 3].map((i) => queue.submit('a', i, 1)));
    expect(settled.map((s) => (s.status === 'rejected' ? (s.reason as LaurelError).code : s.value))).toEqual([
      'database_unavailable',
      'database_unavailable',
      'database_unavailable',
    ]);
    expect(groups).toEqual([[1, 2, 3]]);
  });

  it('commits one group of a lane at a time, or as many as it is allowed at once', async () => {
    // Four requests arrive one turn apart while the first commits; then the commits are let go.
    const arrivals = async (concurrency: number) => {
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      const recorded = recordingQueue(10, concurrency, gate);
      const pending = [recorded.queue.submit('a', 1, 1)];
      await new Promise((resolve) => setImmediate(resolve));
      for (const i of [2, 3, 4]) {
        pending.push(recorded.queue.submit('a', i, 1));
        await new Promise((resolve) => setImmediate(resolve));
      }
      release();
      return { ...recorded, answers: await Promise.all(pending) };
    };
    const one = await arrivals(1);
    expect(one.answers).toEqual(['done 1', 'done 2', 'done 3', 'done 4']);
    expect(one.inFlight.most).toBe(1);
    expect(one.groups).toEqual([[1], [2, 3, 4]]);

    const three = await arrivals(3);
    expect(three.answers).toEqual(['done 1', 'done 2', 'done 3', 'done 4']);
    expect(three.inFlight.most).toBe(3);
    expect(three.groups).toEqual([[1], [2], [3], [4]]);
  });

  it('refuses a request at once when too many units wait, and commits everything it accepted', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const groups: number[][] = [];
    const queue = new GroupCommit<number, string>({
      maxSize: 100,
      maxQueued: 3,
      commit: async (inputs) => {
        groups.push([...inputs]);
        await gate;
        return inputs.map((i) => ({ ok: true, value: `done ${i}` }));
      },
    });
    const committing = queue.submit('a', 1, 1);
    await new Promise((resolve) => setImmediate(resolve));
    const waiting = [queue.submit('a', 2, 1), queue.submit('b', 3, 2)];
    const refused = await Promise.allSettled([queue.submit('a', 4, 1), queue.submit('b', 5, 5)]);
    expect(refused.map((r) => r.status === 'rejected' && (r.reason as LaurelError).code)).toEqual(['overloaded', 'overloaded']);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ kind: 'unavailable', details: { retryAfter: 1 } });
    release();
    expect(await Promise.all([committing, ...waiting])).toEqual(['done 1', 'done 2', 'done 3']);
    // Once the queue has drained, a request larger than the bound is taken alone.
    expect(await queue.submit('a', 6, 50)).toBe('done 6');
    expect(groups).toEqual([[1], [2], [3], [6]]);
  });

  it('refuses a request at once when the oldest waiting one has waited too long', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let now = 0;
    const queue = new GroupCommit<number, string>({
      maxSize: 100,
      maxWaitMs: 2_000,
      now: () => now,
      commit: async (inputs) => {
        await gate;
        return inputs.map((i) => ({ ok: true, value: `done ${i}` }));
      },
    });
    const committing = queue.submit('a', 1, 1);
    await new Promise((resolve) => setImmediate(resolve));
    const waiting = [queue.submit('a', 2, 1)];
    now = 2_000;
    waiting.push(queue.submit('b', 3, 1));
    now = 2_001;
    await expect(queue.submit('b', 4, 1)).rejects.toMatchObject({ code: 'overloaded', details: { retryAfter: 1 } });
    release();
    expect(await Promise.all([committing, ...waiting])).toEqual(['done 1', 'done 2', 'done 3']);
    now = 60_000;
    expect(await queue.submit('a', 5, 1)).toBe('done 5');
  });
});
