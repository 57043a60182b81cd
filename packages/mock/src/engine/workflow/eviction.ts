// Insertion order for the capped stores, kept beside the Map. A Map iterates in insertion order,
// but V8 leaves a hole for every deleted entry until the table is rehashed, and an iterator walks
// over the holes: `keys().next()` on a Map evicted from the front costs O(evicted so far), about
// 25 µs per insert at a 10 k cap (measured). A queue of keys with a head index is O(1) amortised.

/**
 * Keeps `map` at most `cap` entries, evicting the oldest first. Keys are assumed unique per insert
 * (image IDs, tokens): a key set twice would be evicted at its first insert's turn.
 */
export function evictOldest<V>(map: Map<string, V>, cap: number, onEvict?: (value: V) => void) {
  let queue: string[] = [];
  let head = 0;
  return {
    /** Call after `map.set(key, …)` for a new key. */
    added(key: string): void {
      queue.push(key);
      while (map.size > cap && head < queue.length) {
        const oldest = queue[head++] as string;
        const value = map.get(oldest);
        // Gone already (deleted by the caller): nothing to evict for this key.
        if (value === undefined) continue;
        map.delete(oldest);
        onEvict?.(value);
      }
      // Compaction, amortised O(1): drop the consumed head, and the keys the caller deleted once they
      // outnumber the live ones (deletes without evictions would otherwise grow the queue).
      if (head > 1024 && head * 2 > queue.length) {
        queue = queue.slice(head);
        head = 0;
      }
      if (queue.length - head > 2 * cap + 1024) {
        queue = queue.slice(head).filter((k) => map.has(k));
        head = 0;
      }
    },
    /** Keys held, live or deleted (bounded by about twice the cap). */
    held(): number {
      return queue.length - head;
    },
    /** Call with `map.clear()`. */
    clear(): void {
      queue = [];
      head = 0;
    },
  };
}
