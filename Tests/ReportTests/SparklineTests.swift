import LogModel
import LogReport
import Testing

/// Sparkline levels and folding.
struct SparklineTests {
    @Test func zeroIsTheLowestLevelAndTheMaximumTheHighest() {
        #expect(Sparkline.render([0, 1, 2, 3, 4, 5, 6, 7], width: 24, ascii: false) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline.render([0, 1, 2, 3, 4, 5, 6, 7], width: 24, ascii: true) == " .:-=+*#")
    }

    @Test func anyFailureIsVisible() {
        #expect(Sparkline.render([1, 0, 1000], width: 24, ascii: false) == "▂▁█")
        #expect(Sparkline.render([1, 0, 1000], width: 24, ascii: true) == ". #")
    }

    @Test func allZeroAndEmpty() {
        #expect(Sparkline.render([0, 0, 0], width: 24, ascii: false) == "▁▁▁")
        #expect(Sparkline.render([], width: 24, ascii: false) == "")
        #expect(Sparkline.render([1, 2], width: 0, ascii: false) == "")
    }

    @Test func longSeriesAreFoldedFromTheEnd() {
        // 10 buckets into at most 4 columns: runs of 3, the first column partial (1 bucket).
        let counts = [7, 0, 0, 0, 0, 0, 0, 0, 0, 7]
        #expect(Sparkline.render(counts, width: 4, ascii: true) == "#  #")
        #expect(
            Sparkline.render(Array(repeating: 1, count: 48), width: 24, ascii: false)
                == String(repeating: "█", count: 24))
        #expect(Sparkline.render(Array(repeating: 1, count: 100), width: 24, ascii: false).count <= 24)
    }
}
