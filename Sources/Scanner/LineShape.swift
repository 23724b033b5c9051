import LogModel

/// What a line's wrapper says: its time and the producer whose format it has.
///
/// Recognises the line-start forms of the producers acrscan reads (CI prefixes, logrus, klog, syslog, journald,
/// Jenkins, ACR Tasks, JSON log drivers). Costs a few byte comparisons on lines of other shapes.
struct LineShape: Equatable {
    /// The line's own time, in milliseconds since the epoch, UTC.
    var timestamp: Int64?
    /// The producer recognised from the wrapper; nil when the wrapper says nothing.
    var producer: Producer?

    static let logrusTime: [UInt8] = Array(#"time=""#.utf8)
    static let jsonTime: [UInt8] = Array(#""time""#.utf8)
    static let jsonTimestamp: [UInt8] = Array(#""timestamp""#.utf8)
    /// ACR's diagnostic log rows exported from Azure Monitor (matcher version 8).
    static let jsonTimeGenerated: [UInt8] = Array(#""TimeGenerated""#.utf8)
    static let journalTime: [UInt8] = Array(#""__REALTIME_TIMESTAMP""#.utf8)
    /// The platforms' JSON rows (matcher version 10): Container Apps' system and console logs
    /// (`"TimeStamp":"2026-11-20 03:14:15 +0000 UTC"`, Go's `time.Time.String`), a Kubernetes event's
    /// latest occurrence as the event exporters write it, and ECS shippers' `@timestamp`.
    static let jsonPlatformTimes: [[UInt8]] = [
        #""TimeStamp""#, #""Timestamp""#, #""lastTimestamp""#, #""@timestamp""#,
    ].map { Array($0.utf8) }
    static let jsonLog: [UInt8] = Array(#""log""#.utf8)
    static let cliError: [UInt8] = Array("ERROR: ".utf8)
    static let cliWarning: [UInt8] = Array("WARNING: ".utf8)

    /// Reads the wrapper of `line`. With `embedded`, also looks for a date-time anywhere in the first
    /// 512 bytes (Azure CLI puts one inside its messages); that is for candidate lines only.
    static func read(_ b: UnsafeRawBufferPointer, reference: ReferenceTime, embedded: Bool = false) -> LineShape {
        let n = b.count
        guard n >= 8 else { return LineShape() }
        let first = b[0]
        if first &- 0x30 <= 9 {
            if let (ms, end) = Timestamp.iso(in: b, at: 0, zone: reference.zone) {
                // `…Z ` with a seven-digit fraction is the GitHub Actions / Azure Pipelines prefix;
                // GitLab's runner writes `…Z 00O `; journalctl -o short-iso writes an offset, then a host.
                if end < n, b[end] == 0x20, b[end - 1] == 0x5A {
                    if end >= 9, b[end - 9] == 0x2E { return LineShape(timestamp: ms, producer: .githubActions) }
                    if end + 4 < n, b[end + 3] == 0x4F || b[end + 3] == 0x45, b[end + 4] == 0x20 {
                        return LineShape(timestamp: ms, producer: .gitlab)
                    }
                    return LineShape(timestamp: ms, producer: nil)
                }
                if end < n, b[end] == 0x20, b[end - 1] != 0x5A, b[10] == 0x54, end > 19 {
                    return LineShape(timestamp: ms, producer: .journald)
                }
                return LineShape(timestamp: ms, producer: nil)
            }
            if let (ms, _) = Timestamp.iso(in: b, at: 0, slashes: true, zone: reference.zone) {
                return LineShape(timestamp: ms, producer: .acrTasks)
            }
            if let ms = Timestamp.dayFirst(in: b, at: 0, zone: reference.zone) {
                return LineShape(timestamp: ms, producer: nil)  // App Service's older `DD/MM/YYYY …`
            }
        }
        switch first {
        case UInt8(ascii: "t"):
            if b.starts(with: logrusTime),
                let (ms, end) = Timestamp.iso(in: b, at: logrusTime.count, zone: reference.zone)
            {
                return LineShape(timestamp: ms, producer: isContainerd(b, from: end) ? .containerd : .dockerd)
            }
        case UInt8(ascii: "I"), UInt8(ascii: "W"), UInt8(ascii: "E"), UInt8(ascii: "F"):
            if let ms = Timestamp.klog(in: b, at: 0, reference: reference) {
                return LineShape(timestamp: ms, producer: .kubelet)
            }
            // Azure CLI: `ERROR: 2026-11-20 03:25:09.551873 An error occurred: …` (and `WARNING: `).
            for prefix in [cliError, cliWarning] where b.starts(with: prefix) {
                if let (ms, _) = Timestamp.iso(in: b, at: prefix.count, zone: reference.zone) {
                    return LineShape(timestamp: ms, producer: .azureCLI)
                }
            }
            if n > 5, b[4] == UInt8(ascii: "["), b[1] &- 0x41 < 26 {
                // logrus text: `ERRO[0001]` (seconds since start, no time) or `ERRO[2026-11-20T04:03:27.55Z]`.
                return LineShape(timestamp: Timestamp.iso(in: b, at: 5, zone: reference.zone)?.0, producer: .dockerd)
            }
        case UInt8(ascii: "["):
            if let (ms, end) = Timestamp.iso(in: b, at: 1, zone: reference.zone), end < n, b[end] == UInt8(ascii: "]") {
                return LineShape(timestamp: ms, producer: .jenkins)
            }
        case UInt8(ascii: "{"):
            if let at = jsonString(b, key: journalTime), let micros = Timestamp.digits(b, at, 16) {
                return LineShape(timestamp: Int64(micros / 1000), producer: .journald)
            }
            let producer: Producer? = jsonString(b, key: jsonLog) != nil ? .dockerJSON : nil
            for key in [jsonTime, jsonTimestamp, jsonTimeGenerated] + jsonPlatformTimes {
                if let at = jsonString(b, key: key), let (ms, _) = Timestamp.iso(in: b, at: at, zone: reference.zone) {
                    return LineShape(timestamp: ms, producer: producer)
                }
            }
            return LineShape(timestamp: nil, producer: producer)
        default:
            break
        }
        if first &- 0x41 < 26, let ms = Timestamp.syslog(in: b, at: 0, reference: reference) {
            return LineShape(timestamp: ms, producer: .syslog)
        }
        if embedded, let ms = embeddedTime(in: b, zone: reference.zone) {
            return LineShape(timestamp: ms, producer: nil)
        }
        return LineShape()
    }

    /// Where the string value of the JSON key `key` (its name in quotes) starts in `b`: after the colon
    /// and the opening quote, with the blanks JSON allows around the colon. Docker and journald write
    /// `"time":"…"`; Python's `json.dumps`, `jq` without `-c` and log shippers that re-serialise write
    /// `"time": "…"` (sweep workflow check: such rows had no time).
    static func jsonString(_ b: UnsafeRawBufferPointer, key: [UInt8]) -> Int? {
        var from = 0
        let n = b.count
        while let at = b.firstIndex(of: key, from: from) {
            var i = at + key.count
            while i < n, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            if i < n, b[i] == UInt8(ascii: ":") {
                i += 1
                while i < n, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
                if i < n, b[i] == UInt8(ascii: "\"") { return i + 1 }
            }
            from = at + 1
        }
        return nil
    }

    /// containerd's own messages among logrus lines (dockerd writes the same wrapper): the CRI
    /// plugin names each request by its gRPC method (`msg="PullImage \"…\""`, `RunPodSandbox`,
    /// `CreateContainer`…), and its resolver says `trying next host` or `fetch failed`.
    static let containerdMessages: [[UInt8]] = [
        "PullImage ", "RunPodSandbox ", "CreateContainer ", "StartContainer ", "StopPodSandbox ", "RemovePodSandbox ",
        "ImageStatus ", "trying next host", "fetch failed",
    ].map { Array("msg=\"\($0)".utf8) }

    /// Whether the logrus line `b`, whose time ends at `end`, holds a message only containerd writes.
    static func isContainerd(_ b: UnsafeRawBufferPointer, from end: Int) -> Bool {
        let limit = min(b.count, end + 64)  // ` level=error msg="` follows the time
        guard end < limit, let at = UnsafeRawBufferPointer(rebasing: b[end..<limit]).firstIndex(of: msgKey) else {
            return false
        }
        let rest = UnsafeRawBufferPointer(rebasing: b[(end + at)...])
        return containerdMessages.contains { rest.starts(with: $0) }
    }

    static let msgKey: [UInt8] = Array("msg=\"".utf8)

    /// The first `20YY-MM-DD[ T]hh:mm:ss` (or logrus `time="…"`) within the first 512 bytes.
    static func embeddedTime(in b: UnsafeRawBufferPointer, zone: LocalZone = .utc) -> Int64? {
        let limit = min(b.count, 512) - 19
        guard limit > 0 else { return nil }
        for i in 0..<limit where b[i] == 0x32 && b[i + 1] == 0x30 && b[i + 4] == 0x2D {
            if i > 0, b[i - 1] &- 0x30 <= 9 { continue }
            if let (ms, _) = Timestamp.iso(in: b, at: i, zone: zone) { return ms }
        }
        return nil
    }
}

extension UnsafeRawBufferPointer {
    /// Whether the bytes begin with `prefix`.
    @inlinable
    func starts(with prefix: [UInt8]) -> Bool {
        guard count >= prefix.count else { return false }
        for i in 0..<prefix.count where self[i] != prefix[i] { return false }
        return true
    }
}
