import { encodeIdBytes } from './stream-id';
import type { StreamNode } from './stream-node';

/**
 * How many nodes Redis's radix tree (rax) would have for these node keys (16-byte big-endian master
 * IDs), for XINFO STREAM's radix-tree-nodes. A rax is a compressed trie: every branch point and
 * every key end is a node, a branch's child one byte below is a node, and a longer single-child
 * run below a branch is one more (compressed) node. Built from the sorted keys' common prefixes.
 */
export function raxNodeCount(nodes: readonly StreamNode[]): number {
  const n = nodes.length;
  if (n === 0) return 1;
  const keys = nodes.map((node) => encodeIdBytes(node.master));
  const LEAF = 16;
  // Edges of the compacted trie as [parentDepth, childDepth].
  const edges: [number, number][] = [];
  const stack: number[] = [0];
  let pending = LEAF;
  for (let i = 1; i < n; i++) {
    const a = keys[i - 1];
    const b = keys[i];
    let l = 0;
    while (l < LEAF && a[l] === b[l]) l++;
    while (stack[stack.length - 1] > l) {
      const top = stack.pop()!;
      edges.push([top, pending]);
      pending = top;
    }
    if (stack[stack.length - 1] < l) {
      edges.push([l, pending]);
      stack.push(l);
    } else {
      edges.push([l, pending]);
    }
    pending = LEAF;
  }
  while (stack.length > 0) {
    const top = stack.pop()!;
    edges.push([top, pending]);
    pending = top;
  }
  // The loop above attaches the root to nothing: drop a self-edge if one was made.
  const real = edges.filter(([p, ch]) => ch > p);
  const rootChildren = real.filter(([p]) => p === 0).length;
  let count = 1;
  for (const [parent, child] of real) {
    if (parent === 0 && rootChildren === 1) count += 1;
    else count += child - parent === 1 ? 1 : 2;
  }
  return count;
}
