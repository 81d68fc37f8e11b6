import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { FlowList, type ListNode } from "../../src/session/flow-list.ts";

class Node implements ListNode<Node> {
  prev: Node | null = null;
  next: Node | null = null;
  list: FlowList<Node> | null = null;
  constructor(readonly id: number) {}
}

function ids(l: FlowList<Node>): number[] {
  const out: number[] = [];
  for (let n = l.head; n !== null; n = n.next) out.push(n.id);
  const back: number[] = [];
  for (let n = l.tail; n !== null; n = n.prev) back.push(n.id);
  assert.deepEqual(back.reverse(), out, "links agree both ways");
  assert.equal(l.size, out.length);
  return out;
}

test("touch moves a node to the head, also from another list", () => {
  const a = new FlowList<Node>();
  const b = new FlowList<Node>();
  const n = [0, 1, 2].map((i) => new Node(i));
  for (const x of n) a.touch(x);
  assert.deepEqual(ids(a), [2, 1, 0]);
  a.touch(n[0]);
  assert.deepEqual(ids(a), [0, 2, 1]);
  b.touch(n[2]);
  assert.deepEqual(ids(a), [0, 1]);
  assert.deepEqual(ids(b), [2]);
  a.remove(n[1]);
  assert.deepEqual(ids(a), [0]);
  assert.equal(n[1].list, null);
});

test("property: the list is the nodes in most-recently-touched order", () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(9)), { maxLength: 60 }), (ops) => {
      const l = new FlowList<Node>();
      const nodes = Array.from({ length: 10 }, (_, i) => new Node(i));
      let model: number[] = [];
      for (const [touch, i] of ops) {
        if (touch) {
          l.touch(nodes[i]);
          model = [i, ...model.filter((x) => x !== i)];
        } else if (nodes[i].list === l) {
          l.remove(nodes[i]);
          model = model.filter((x) => x !== i);
        }
        assert.deepEqual(ids(l), model);
      }
    }),
    { numRuns: 10_000 },
  );
});
