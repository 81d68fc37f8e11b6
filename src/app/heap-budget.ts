// Keeps the JavaScript heap of a long run near a fixed budget (issue 8: memory bounded by configuration, not
// by the input). V8 lets the old generation grow to several times its live size before collecting, and raises
// that limit as a run goes on: on a 4 GiB capture it reached ~115 MB for ~32 MB live. When the process was
// started with `--expose-gc` (the launcher does so for large inputs, bin/launch.js), a full collection is
// asked for once the heap passes the budget; the budget follows the live size so a large live set (a big
// profile) never makes it collect over and over.

import { getHeapStatistics } from "node:v8";

/** Heap and buffer bytes in use before a collection is asked for (live: ~40 MB on a phone capture). */
export const HEAP_BUDGET_BYTES = 44 * 1024 * 1024;

/** The budget is at least this many times the heap in use right after a collection. */
const LIVE_FACTOR = 2;

/** A heap budget checked at safe points (between chunks of input, between batches). */
export class HeapBudget {
  private readonly gc: (() => void) | undefined;
  private readonly base: number;
  private limit: number;
  /** Collections asked for so far. */
  collections = 0;

  /**
   * @param gc the collector (`globalThis.gc` when exposed); without it `check` does nothing
   * @param base the budget in bytes
   */
  constructor(gc: (() => void) | undefined = exposedGc(), base = HEAP_BUDGET_BYTES) {
    this.gc = gc;
    this.base = base;
    this.limit = base;
  }

  /** Collects when the heap in use passes the budget; returns true when it did. */
  check(used = usedHeap()): boolean {
    if (this.gc === undefined || used < this.limit) return false;
    this.gc();
    this.collections++;
    this.limit = Math.max(this.base, LIVE_FACTOR * usedHeap());
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
