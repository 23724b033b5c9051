/// Extraction of the evidence fields of SPEC section 3 from one candidate line.
enum Fields {
    static let statusMarkers: [[UInt8]] = ["Response code: ", "response code: ", "unexpected status: ", "status: ", "status code: ", "status code ", "StatusCode=", "StatusCode: ", "HTTP/1.1 ", "HTTP/2 "].map { Array($0.utf8) }
    static let statusWords: [([UInt8], Int)] = [(Array("401 Unauthorized".utf8), 401), (Array("403 Forbidden".utf8), 403), (Array("401 unauthorized".utf8), 401), (Array("403 forbidden".utf8), 403)]

    /// The HTTP status the line states, if any.
    static func status(in b: UnsafeRawBufferPointer) -> Int? {
        for marker in statusMarkers {
            if let at = b.firstIndex(of: marker), let code = Timestamp.digits(b, at + marker.count, 3), (100...599).contains(code) {
                return code
            }
        }
        for (word, code) in statusWords where b.firstIndex(of: word) != nil { return code }
        return nil
    }

    static let ipMarker: [UInt8] = Array("client with IP ".utf8)

    /// The client address of a firewall refusal (`client with IP '203.0.113.7'`).
    static func clientIP(in b: UnsafeRawBufferPointer) -> String? {
        guard let at = b.firstIndex(of: ipMarker) else { return nil }
        var start = at + ipMarker.count
        while start < b.count, b[start] == 0x27 || b[start] == 0x22 || b[start] == 0x5C { start += 1 }
        var end = start
        while end < b.count, b[end] &- 0x30 <= 9 || b[end] == 0x2E || b[end] == 0x3A || (b[end] | 0x20) &- 0x61 < 6 { end += 1 }
        return end > start ? String(decoding: b[start..<end], as: UTF8.self) : nil
    }

    @inline(__always)
    static func isHex(_ c: UInt8) -> Bool { c &- 0x30 <= 9 || (c | 0x20) &- 0x61 < 6 }

    /// The first GUID in the line (an application, client or object id).
    static func identity(in b: UnsafeRawBufferPointer) -> String? {
        guard b.count >= 36 else { return nil }
        var i = 0
        while i + 36 <= b.count {
            if (i == 0 || !isHex(b[i - 1])) && isGUID(b, at: i) && (i + 36 == b.count || !isHex(b[i + 36])) {
                return String(decoding: b[i..<(i + 36)], as: UTF8.self).lowercased()
            }
            i += 1
        }
        return nil
    }

    static func isGUID(_ b: UnsafeRawBufferPointer, at i: Int) -> Bool {
        for k in 0..<36 {
            let c = b[i + k]
            if k == 8 || k == 13 || k == 18 || k == 23 {
                if c != 0x2D { return false }
            } else if !isHex(c) {
                return false
            }
        }
        return true
    }

    static let aadsts: [UInt8] = Array("AADSTS".utf8)
    static let healthCodes: [[UInt8]] = [
        "DOCKER_COMMAND_ERROR", "DOCKER_DAEMON_ERROR", "CONNECTIVITY_FORBIDDEN_ERROR", "CONNECTIVITY_REFRESH_TOKEN_ERROR",
        "CONNECTIVITY_ACCESS_TOKEN_ERROR", "CONNECTIVITY_AAD_LOGIN_ERROR",
    ].map { Array($0.utf8) }

    /// An AADSTS code (`AADSTS7000215`) or an `az acr check-health` code.
    static func code(in b: UnsafeRawBufferPointer) -> String? {
        if let at = b.firstIndex(of: aadsts) {
            var end = at + aadsts.count
            while end < b.count, b[end] &- 0x30 <= 9 { end += 1 }
            if end > at + aadsts.count { return String(decoding: b[at..<end], as: UTF8.self) }
        }
        for code in healthCodes where b.firstIndex(of: code) != nil { return String(decoding: code, as: UTF8.self) }
        return nil
    }

    static let attemptsMarker: [UInt8] = Array("(x".utf8)
    static let overWord: [UInt8] = Array(" over ".utf8)

    /// The attempts of a Kubernetes event that aggregates them: `(x261 over 60m)` → 261.
    static func attempts(in b: UnsafeRawBufferPointer) -> Int? {
        var from = 0
        while let at = b.firstIndex(of: attemptsMarker, from: from) {
            from = at + 2
            var end = from
            var value = 0
            while end < b.count, b[end] &- 0x30 <= 9, end - from < 9 {
                value = value * 10 + Int(b[end] &- 0x30)
                end += 1
            }
            if end > from, b.firstIndex(of: overWord, from: end) == end { return value }
        }
        return nil
    }

    static let akaACR: [UInt8] = Array("aka.ms/acr".utf8)
    static let imageQuote: [UInt8] = Array("image \"".utf8)
    static let imageEscapedQuote: [UInt8] = Array("image \\\"".utf8)
    static let pullAccessDenied: [UInt8] = Array("pull access denied for ".utf8)

    /// Whether the line is about an image or registry other than ACR: a foreign registry host, Docker
    /// Hub's `pull access denied for NAME`, or a Kubernetes `image "REF"` whose reference has no ACR host.
    /// Only asked of lines that name no ACR login server.
    static func isForeign(_ b: UnsafeRawBufferPointer) -> Bool {
        if RegistryParser.namesForeignRegistry(b) || b.firstIndex(of: pullAccessDenied) != nil { return true }
        for marker in [imageQuote, imageEscapedQuote] {
            if b.firstIndex(of: marker) != nil { return true }  // the quoted reference holds no azurecr host
        }
        return false
    }
}
