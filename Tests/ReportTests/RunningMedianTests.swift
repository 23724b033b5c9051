@testable import LogReport
import Testing

/// The two-heap median against sorting.
struct RunningMedianTests {
    @Test(arguments: [1, 2, 7, 64, 300])
    func matchesTheSortedMedian(length: Int) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(length)
        var median = RunningMedian()
        var values: [Int] = []
        var mismatches: [Int] = []
        for _ in 0..<length {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let value = Int(state >> 59) % 7 == 0 ? Int(state >> 40) % 1000 : Int(state >> 61)  // mostly small, some large
            median.insert(value)
            values.append(value)
            let sorted = values.sorted()
            let middle = sorted.count / 2
            let expected = sorted.count % 2 == 1 ? 2 * sorted[middle] : sorted[middle - 1] + sorted[middle]
            if median.doubleMedian != expected || median.count != values.count { mismatches.append(values.count) }
        }
        #expect(mismatches.isEmpty)
    }

    @Test func emptyIsZero() {
        #expect(RunningMedian().doubleMedian == 0)
    }
}
