// Keeps the JavaScript heap of a long run near a fixed budget (issue 8: memory bounded by configuration, not
// by the input). V8 lets the old generation grow to several times its live size before collecting, and raises
// that limit as a run goes on: on a 4 GiB capture it reached ~115 MB for ~32 MB live. When the process was
// started with `--expose-gc` (the launcher does so for large inputs, bin/launch.js), a full collection is
// asked for once the heap passes the budget; past the budget, it collects again after a fixed headroom of
// new garbage (more for a large live set, so a big profile is not collected over and over).

import { getHeapStatistics } from "node:v8";

/** Heap and buffer bytes in use before a collection is asked for (live: ~40 MB on a phone capture). */
export const HEAP_BUDGET_BYTES = 44 * 1024 * 1024;

/**
 * Room above the live size (what is in use right after a collection) before the next collection: at least
 * this, or half the live size, so a large live set (a big profile) is not collected over and over.
 */
export const HEAP_HEADROOM_BYTES = 24 * 1024 * 1024;

/** A heap budget checked at safe points (between chunks of input, between batches). */
export class HeapBudget {
  private readonly gc: (() => void) | undefined;
  private readonly base: number;
  private readonly headroom: number;
  private limit: number;
  /** Collections asked for so far. */
  collections = 0;

  /**
   * @param gc the collector (`globalThis.gc` when exposed); without it `check` does nothing
   * @param base the budget in bytes
   * @param headroom the least room above the live size once past the budget
   */
  constructor(
    gc: (() => void) | undefined = exposedGc(),
    base = HEAP_BUDGET_BYTES,
    headroom = HEAP_HEADROOM_BYTES,
  ) {
    this.gc = gc;
    this.base = base;
    this.headroom = headroom;
    this.limit = base;
  }

  /** Collects when the heap in use passes the budget; returns true when it did. */
  check(used = usedHeap()): boolean {
    if (this.gc === undefined || used < this.limit) return false;
    this.gc();
    this.collections++;
    const live = usedHeap();
    this.limit = Math.max(this.base, live + Math.max(this.headroom, live / 2));
    return true;
  }
}

/**
 * Bytes in use by the JavaScript heap and by the buffers its objects hold outside it (array buffers are
 * freed only when their objects are collected, so they count too).
 */
function usedHeap(): number {
  const h = getHeapStatistics();
  return h.used_heap_size + h.external_memory;
}

/** `gc()` when the process runs with `--expose-gc`. */
function exposedGc(): (() => void) | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === "function" ? (gc as () => void) : undefined;
}
