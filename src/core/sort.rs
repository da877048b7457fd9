//! One small sort for the wasm build.
//!
//! `sort_unstable` links std's pattern-defeating quicksort with its
//! heapsort fallback, small-sort networks and their panic messages: about
//! 3.5 KB of wasm for each element type it is used with. The two sorts of
//! the library (the inbox's conversations, newest first, and the repeated
//! keys of a large JSON object) sort keys made unique by an index, so they
//! need no stability, and this heapsort is O(n log n) in every case too,
//! in place, with no allocation; it does about twice std's comparisons.

/// Sorts `items` in ascending order, in place, in O(n log n) comparisons.
/// Not stable: equal items may end up in either order.
pub fn heapsort<T: Ord>(items: &mut [T]) {
    let len = items.len();
    // Build a max-heap, then move its top behind the shrinking heap.
    for root in (0..len / 2).rev() {
        sift_down(items, root, len);
    }
    for end in (1..len).rev() {
        items.swap(0, end);
        sift_down(items, 0, end);
    }
}

/// Moves `items[root]` down the heap `items[..end]` until both its
/// children are no greater.
fn sift_down<T: Ord>(items: &mut [T], mut root: usize, end: usize) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && items[child] < items[child + 1] {
            child += 1;
        }
        if items[root] >= items[child] {
            return;
        }
        items.swap(root, child);
        root = child;
    }
}
