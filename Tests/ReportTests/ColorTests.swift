import Foundation
import LogModel
import LogReport
import Testing

/// The eight type colours of the HTML charts stay apart for normal vision and for simulated
/// protanopia, deuteranopia and tritanopia (Machado, Oliveira and Fernandes 2009, severity 1):
/// every pair at least 15 apart in CIELAB (ΔE*ab 1976). The old palette put reddish purple and
/// grey 7 apart under deuteranopia (issue 13: "two of the eight type colours are hard to tell apart").
struct ColorTests {
    private static let simulations: [(name: String, matrix: [[Double]])] = [
        ("normal", [[1, 0, 0], [0, 1, 0], [0, 0, 1]]),
        (
            "protanopia",
            [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
        ),
        (
            "deuteranopia",
            [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
        ),
        (
            "tritanopia",
            [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
        ),
    ]

    private static func linear(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
    private static func gamma(_ c: Double) -> Double {
        let c = min(max(c, 0), 1)
        return c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055
    }

    /// CIELAB of `hex` as seen through `matrix` (applied to linear sRGB).
    private static func lab(_ hex: String, _ matrix: [[Double]]) -> [Double] {
        let value = Int(hex.dropFirst(), radix: 16) ?? 0
        let rgb = [(value >> 16) & 255, (value >> 8) & 255, value & 255].map { linear(Double($0) / 255) }
        let seen = matrix.map { row in linear(gamma(zip(row, rgb).map { $0 * $1 }.reduce(0, +))) }
        let (r, g, b) = (seen[0], seen[1], seen[2])
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.9505
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.089
        func f(_ t: Double) -> Double { t > 0.008856 ? cbrt(t) : 7.787 * t + 16 / 116 }
        return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))]
    }

    /// The closest pair of `colors` under each simulation.
    static func closest(_ colors: [String]) -> [String: (distance: Double, pair: String)] {
        var result: [String: (Double, String)] = [:]
        for (name, matrix) in simulations {
            let labs = colors.map { lab($0, matrix) }
            var best = (Double.infinity, "")
            for i in colors.indices {
                for j in colors.indices where j > i {
                    let d = sqrt(zip(labs[i], labs[j]).map { ($0 - $1) * ($0 - $1) }.reduce(0, +))
                    if d < best.0 { best = (d, "\(colors[i]) \(colors[j])") }
                }
            }
            result[name] = best
        }
        return result
    }

    @Test func typeColoursStayApartWithColourVisionDeficiencies() {
        #expect(Report.typeColors.count == 8)
        #expect(Set(Report.typeColors).count == 8)
        for (name, closest) in Self.closest(Report.typeColors) {
            #expect(closest.distance >= 15, "\(name): \(closest.pair) only \(closest.distance) apart")
        }
    }

    @Test func theOldPaletteFailsTheCheck() {
        let old = ["#e69f00", "#56b4e9", "#d55e00", "#009e73", "#f0e442", "#0072b2", "#cc79a7", "#999999"]
        let deuteranopia = Self.closest(old)["deuteranopia"]
        #expect((deuteranopia?.distance ?? 99) < 10)
        #expect(deuteranopia?.pair == "#cc79a7 #999999")
    }
}
