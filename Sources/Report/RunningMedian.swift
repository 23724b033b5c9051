/// The median of a growing multiset of counts, kept in two binary heaps: the lower half in a
/// max-heap, the upper half in a min-heap, the lower one at most one larger. O(log n) per
/// insertion, O(1) per median, so a series of n buckets costs O(n log n).
struct RunningMedian {
    private var lower = Heap(precedes: >)
    private var upper = Heap(precedes: <)

    /// How many counts were inserted.
    var count: Int { lower.items.count + upper.items.count }

    /// Twice the median, so that the mean of two middle values stays whole; 0 when empty.
    var doubleMedian: Int {
        guard let low = lower.items.first else { return 0 }
        if lower.items.count > upper.items.count { return 2 * low }
        return low + (upper.items.first ?? low)
    }

    /// Adds a count.
    mutating func insert(_ value: Int) {
        if let low = lower.items.first, value > low { upper.push(value) } else { lower.push(value) }
        if lower.items.count > upper.items.count + 1, let moved = lower.pop() { upper.push(moved) }
        if upper.items.count > lower.items.count, let moved = upper.pop() { lower.push(moved) }
    }

    /// A binary heap of counts whose first item precedes all others under `precedes`.
    private struct Heap {
        var items: [Int] = []
        let precedes: (Int, Int) -> Bool

        init(precedes: @escaping (Int, Int) -> Bool) {
            self.precedes = precedes
        }

        mutating func push(_ value: Int) {
            items.append(value)
            var child = items.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard precedes(items[child], items[parent]) else { break }
                items.swapAt(child, parent)
                child = parent
            }
        }

        mutating func pop() -> Int? {
            guard let top = items.first else { return nil }
            let last = items.removeLast()
            guard !items.isEmpty else { return top }
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var first = parent
                if left < items.count && precedes(items[left], items[first]) { first = left }
                if right < items.count && precedes(items[right], items[first]) { first = right }
                guard first != parent else { return top }
                items.swapAt(parent, first)
                parent = first
            }
        }
    }
}
