import LogModel
import LogScanner
import Testing

/// SourceFormatTests' formats and look-alikes through the wrappers that RealWorldWrapperTests adds
/// to its eight (docker json-file, journald JSON, short-iso, syslog, ANSI colour, CRLF, GitLab,
/// Jenkins, containerd's `error=` field): each format counts once with its type and registry, each
/// look-alike not at all. A format of several lines skips containerd's one-message field.
extension SourceFormatTests {
    static let addedWrappers = RealWorldWrapperTests.wrappers.filter { wrapper in
        !SourceFormatTests.wrappers.contains { $0.name == wrapper.name }
    }

    /// The formats left in a wrapper, with the reason (docs/accuracy.md, "Real lines through wrappers"):
    /// none since JSON log records join a multi-line failure as plain text does.
    static let leftInAddedWrappers: [String: [String: String]] = [:]

    /// Every source format of the four files, and every one-line look-alike.
    static let allFormats = formats + toolFormats + toolFormatsWaveB + platformFormats + buildFormats
    static let allLookAlikes = lookAlikes + toolLookAlikes + toolLookAlikesWaveB + platformLookAlikes + buildLookAlikes

    @Test(
        "each source format counts once with its type and registry, in the added wrappers",
        arguments: 0..<allFormats.count)
    func formatInAddedWrappers(_ index: Int) {
        let format = Self.allFormats[index]
        for wrapper in Self.addedWrappers where wrapper.multiLine || format.lines.count == 1 {
            if let why = Self.leftInAddedWrappers[wrapper.name]?[format.source] {
                print("left: \(format.source) [\(wrapper.name)]: \(why)")
                continue
            }
            let found = Support.scan(lines: format.before + format.lines.map(wrapper.wrap))
            #expect(found.map(\.type) == [format.type], "\(format.source) [\(wrapper.name)]: \(found.map(\.excerpt))")
            #expect(found.first?.registry == format.registry, "\(format.source) [\(wrapper.name)]")
        }
    }

    @Test(
        "each look-alike of a source format is not counted, in the added wrappers", arguments: 0..<allLookAlikes.count)
    func lookAlikeInAddedWrappers(_ index: Int) {
        for wrapper in Self.addedWrappers {
            let found = Support.scan(lines: [wrapper.wrap(Self.allLookAlikes[index])])
            #expect(found.isEmpty, "[\(wrapper.name)] \(Self.allLookAlikes[index]): \(found.map(\.excerpt))")
        }
    }
}
