// An intrusive doubly linked list in last-seen order. The flow table keeps one per timeout class, so the
// flows to expire are always at a list's tail and touching a flow is O(1) with no allocation.

/** A node the list links through its own fields. */
export interface ListNode<T extends ListNode<T>> {
  /** Neighbour towards the head (more recently seen). */
  prev: T | null;
  /** Neighbour towards the tail (less recently seen). */
  next: T | null;
  /** The list holding the node, or null. */
  list: FlowList<T> | null;
}

/** Most recently seen at the head, least recently seen at the tail. */
export class FlowList<T extends ListNode<T>> {
  /** Most recently seen node. */
  head: T | null = null;
  /** Least recently seen node. */
  tail: T | null = null;
  /** Nodes in the list. */
  size = 0;

  /** Puts `node` at the head, taking it out of whatever list held it. */
  touch(node: T): void {
    if (node.list === this && this.head === node) return;
    if (node.list) node.list.remove(node);
    node.prev = null;
    node.next = this.head;
    if (this.head) this.head.prev = node;
    this.head = node;
    if (!this.tail) this.tail = node;
    node.list = this;
    this.size++;
  }

  /** Unlinks `node` (which must be in this list). */
  remove(node: T): void {
    if (node.prev) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev;
    node.prev = null;
    node.next = null;
    node.list = null;
    this.size--;
  }
}
