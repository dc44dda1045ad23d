import { describe, expect, it } from 'vitest';
import { MAX_LEX, MIN_LEX, SkipList } from '../../plugins/zsets/skiplist';
import { parseLexRange, parseScoreRange, parseScore } from '../../plugins/zsets/zset-args';

/** A sorted array of [score, member], the model the skip list is checked against. */
function sortModel(model: Map<string, number>): [number, string][] {
  return [...model].map(([m, s]): [number, string] => [s, m]).sort((a, b) => (a[0] - b[0]) || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

function listOf(list: SkipList): [number, string][] {
  const out: [number, string][] = [];
  for (let n = list.first; n !== null; n = n.next) out.push([n.score, n.member]);
  return out;
}

describe('SkipList', () => {
  it('keeps order, ranks and spans right through random inserts, updates and deletes', () => {
    const list = new SkipList();
    const nodes = new Map<string, ReturnType<SkipList['insert']>>();
    const model = new Map<string, number>();
    for (let step = 0; step < 4000; step++) {
      const member = 'm' + Math.floor(Math.random() * 300);
      const op = Math.random();
      const node = nodes.get(member);
      if (node === undefined) {
        const score = Math.floor(Math.random() * 50);
        nodes.set(member, list.insert(score, member));
        model.set(member, score);
      } else if (op < 0.5) {
        const score = Math.floor(Math.random() * 50);
        nodes.set(member, list.updateScore(node, score));
        model.set(member, score);
      } else {
        expect(list.delete(node.score, member)).toBe(true);
        nodes.delete(member);
        model.delete(member);
      }
      if (step % 500 === 0) {
        const sorted = sortModel(model);
        expect(listOf(list)).toEqual(sorted);
        expect(list.length).toBe(sorted.length);
        for (let r = 0; r < sorted.length; r++) {
          expect(list.rankOf(sorted[r][0], sorted[r][1])).toBe(r + 1);
          expect(list.byRank(r + 1)!.member).toBe(sorted[r][1]);
        }
        // Walking back from the tail gives the reverse order.
        const back: string[] = [];
        for (let n = list.tail; n !== null; n = n.backward) back.push(n.member);
        expect(back).toEqual(sorted.map((e) => e[1]).reverse());
      }
    }
  });

  it('orders equal scores by member bytes and finds score and lex ranges', () => {
    const list = new SkipList();
    for (const [s, m] of [[1, 'b'], [1, 'a'], [2, 'c'], [3, 'd'], [3, '\xff'], [3, 'd\x00']] as [number, string][]) list.insert(s, m);
    expect(listOf(list).map((e) => e[1])).toEqual(['a', 'b', 'c', 'd', 'd\x00', '\xff']);
    const r = parseScoreRange(Buffer.from('(1'), Buffer.from('3'))!;
    expect(list.firstInScoreRange(r)!.member).toBe('c');
    expect(list.lastInScoreRange(r)!.member).toBe('\xff');
    expect(list.firstInScoreRange(parseScoreRange(Buffer.from('4'), Buffer.from('+inf'))!)).toBeNull();
    const lex = { min: 'b', max: MAX_LEX, minex: true, maxex: false };
    expect(list.firstInLexRange(lex)!.member).toBe('c');
    expect(list.lastInLexRange({ min: MIN_LEX, max: 'd', minex: false, maxex: true })!.member).toBe('c');
  });

  it('deletes rank ranges and runs from a node', () => {
    const list = new SkipList();
    for (let i = 0; i < 100; i++) list.insert(i, 'm' + String(i).padStart(3, '0'));
    const removed: string[] = [];
    expect(list.deleteRankRange(11, 20, (m) => removed.push(m))).toBe(10);
    expect(removed[0]).toBe('m010');
    expect(list.length).toBe(90);
    expect(list.byRank(11)!.member).toBe('m020');
    const first = list.firstInScoreRange({ min: 50, max: 59, minex: false, maxex: false })!;
    expect(list.deleteFrom(first, (n) => n.score <= 59, () => {})).toBe(10);
    expect(list.rankOf(60, 'm060')).toBe(41);
  });
});

describe('zset argument parsing', () => {
  it('reads scores as strtod with ERANGE refused', () => {
    expect(parseScore(Buffer.from('1.5'))).toBe(1.5);
    expect(parseScore(Buffer.from('-inf'))).toBe(-Infinity);
    expect(parseScore(Buffer.from('1e400'))).toBeNull();
    expect(parseScore(Buffer.from('1e-400'))).toBeNull();
    expect(parseScore(Buffer.from('0e-400'))).toBe(0);
    expect(parseScore(Buffer.from('nan'))).toBeNull();
    expect(parseScore(Buffer.from(' 1'))).toBeNull();
  });

  it('reads range bounds', () => {
    expect(parseScoreRange(Buffer.from('('), Buffer.from(' 2'))).toEqual({ min: 0, max: 2, minex: true, maxex: false });
    expect(parseScoreRange(Buffer.from('x'), Buffer.from('2'))).toBeNull();
    expect(parseLexRange(Buffer.from('-'), Buffer.from('(b'))).toEqual({ min: MIN_LEX, max: 'b', minex: false, maxex: true });
    expect(parseLexRange(Buffer.from('a'), Buffer.from('+'))).toBeNull();
  });
});
