import LogModel

/// Extraction of the evidence fields of docs/counting-rules.md from one candidate line.
enum Fields {
    static let statusMarkers: [[UInt8]] = [
        "Response code: ", "response code: ", "unexpected status: ", "status: ", "status code: ", "status code ",
        "StatusCode=", "StatusCode: ", "HTTP/1.1 ", "HTTP/2 ",
    ].map { Array($0.utf8) }
    static let statusWords: [([UInt8], Int)] = [
        (Array("401 Unauthorized".utf8), 401), (Array("403 Forbidden".utf8), 403),
        (Array("401 unauthorized".utf8), 401), (Array("403 forbidden".utf8), 403),
    ]

    /// The strings that `status`, `code` and `isAnnotation` look for, in that order: a failure line
    /// is searched for all of them in one pass (`presence(in:)`), and each function then looks only
    /// for those the pass saw (it sees every one that occurs, in any case), instead of once per string.
    /// Then those of `isACRText`: `aka.ms/acr`, the CLI's acr module and the registry clients.
    static let needles: [[UInt8]] =
        statusMarkers + statusWords.map(\.0) + [aadsts] + healthCodes + annotations + [akaACR, acrModule]
        + registryClientBytes
    static let needleSet = LiteralSet(needles.map { String(decoding: $0, as: UTF8.self) })
    static let codeNeedles = statusMarkers.count + statusWords.count
    static let annotationNeedles = codeNeedles + 1 + healthCodes.count
    static let acrTextNeedles = annotationNeedles + annotations.count
    /// The bits of the registry clients in a presence.
    static let registryClientBits: UInt64 = ((1 << UInt64(registryClientBytes.count)) - 1) << UInt64(acrTextNeedles + 2)

    /// Which of `needles` may occur in the line (bit `i` for `needles[i]`): pass it to `status`,
    /// `code` and `isAnnotation` of the same line.
    static func presence(in b: UnsafeRawBufferPointer) -> UInt64 { needleSet.presence(in: b) }

    @inline(__always)
    static func seen(_ present: UInt64, _ index: Int) -> Bool { present & (1 << UInt64(index)) != 0 }

    /// The HTTP status the line states, if any. `present`: `presence(in: b)`, or every bit.
    static func status(in b: UnsafeRawBufferPointer, present: UInt64 = ~0) -> Int? {
        for (k, marker) in statusMarkers.enumerated() where seen(present, k) {
            if let at = b.firstIndex(of: marker), let code = Timestamp.digits(b, at + marker.count, 3),
                (100...599).contains(code)
            {
                return code
            }
        }
        for (k, (word, code)) in statusWords.enumerated()
        where seen(present, statusMarkers.count + k) && b.firstIndex(of: word) != nil {
            return code
        }
        return nil
    }

    static let ipMarker: [UInt8] = Array("client with IP ".utf8)

    /// The client address of a firewall refusal (`client with IP '203.0.113.7'`).
    static func clientIP(in b: UnsafeRawBufferPointer) -> String? {
        guard let at = b.firstIndex(of: ipMarker) else { return nil }
        var start = at + ipMarker.count
        while start < b.count, b[start] == 0x27 || b[start] == 0x22 || b[start] == 0x5C { start += 1 }
        var end = start
        while end < b.count, b[end] &- 0x30 <= 9 || b[end] == 0x2E || b[end] == 0x3A || (b[end] | 0x20) &- 0x61 < 6 {
            end += 1
        }
        return end > start ? String(decoding: b[start..<end], as: UTF8.self) : nil
    }

    @inline(__always)
    static func isHex(_ c: UInt8) -> Bool { c &- 0x30 <= 9 || (c | 0x20) &- 0x61 < 6 }

    /// The first GUID in the line (an application, client or object id) that is not a secret: a
    /// GUID given as a password (`-p <GUID>`, `"password": "<GUID>"`) is redacted, never stored
    /// as an identity (`Redactor.isSecret`).
    static func identity(in b: UnsafeRawBufferPointer) -> String? {
        guard b.count >= 36 else { return nil }
        var i = 0
        while i + 36 <= b.count {
            if (i == 0 || !isHex(b[i - 1])) && isGUID(b, at: i) && (i + 36 == b.count || !isHex(b[i + 36])),
                !Redactor.isSecret(b, i..<(i + 36))
            {
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
        "DOCKER_COMMAND_ERROR", "DOCKER_DAEMON_ERROR", "CONNECTIVITY_FORBIDDEN_ERROR",
        "CONNECTIVITY_REFRESH_TOKEN_ERROR",
        "CONNECTIVITY_ACCESS_TOKEN_ERROR", "CONNECTIVITY_AAD_LOGIN_ERROR",
    ].map { Array($0.utf8) }

    /// An AADSTS code (`AADSTS7000215`) or an `az acr check-health` code. `present` as in `status`.
    static func code(in b: UnsafeRawBufferPointer, present: UInt64 = ~0) -> String? {
        if seen(present, codeNeedles), let at = b.firstIndex(of: aadsts) {
            var end = at + aadsts.count
            while end < b.count, b[end] &- 0x30 <= 9 { end += 1 }
            if end > at + aadsts.count { return String(decoding: b[at..<end], as: UTF8.self) }
        }
        for (k, code) in healthCodes.enumerated()
        where seen(present, codeNeedles + 1 + k) && b.firstIndex(of: code) != nil {
            return String(decoding: code, as: UTF8.self)
        }
        return nil
    }

    static let annotations: [[UInt8]] = ["##[error]", "##vso[task.logissue", "::error"].map { Array($0.utf8) }

    /// Whether the line is a CI annotation (`##[error]…`, `::error::…`): it re-reports a failure
    /// that the tool printed just before, in another form.
    static func isAnnotation(_ b: UnsafeRawBufferPointer, present: UInt64 = ~0) -> Bool {
        annotations.indices.contains {
            seen(present, annotationNeedles + $0) && b.firstIndex(of: annotations[$0]) != nil
        }
    }

    /// A hash of the line's text without its digits: the same for a retry that prints the identical
    /// error again (only times and counters differ), different for an echo in another form.
    static func form(of b: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for c in b where c &- 0x30 > 9 {
            hash = (hash ^ UInt64(c)) &* 0x0100_0000_01B3
        }
        return hash
    }

    /// The seconds since start of a line in logrus's short text form: four capital letters, then
    /// the seconds in brackets at the line's start (`INFO[0124] …`, `ERRO[0124] …`); nil otherwise.
    static func logrusUptime(_ b: UnsafeRawBufferPointer) -> Int? {
        guard b.count > 6, b[4] == UInt8(ascii: "[") else { return nil }
        for i in 0..<4 where b[i] &- 0x41 >= 26 { return nil }
        var value = 0
        var i = 5
        while i < b.count, i < 13, b[i] &- 0x30 < 10 {
            value = value * 10 + Int(b[i] &- 0x30)
            i += 1
        }
        guard i > 5, i < b.count, b[i] == UInt8(ascii: "]") else { return nil }
        return value
    }

    static let messageTrailer: [UInt8] = Array("Message: ".utf8)

    /// Whether the line is azure-core's `Message: …` trailer (`HttpResponseError`, `ODataV4Format`):
    /// `Message: ` where the line's own text starts, after whatever wrapper a logger put before it —
    /// nothing, a timestamp (`…Z `, `… 00:29:22.811305 `), a bracket or quote (`##[error]`, klog's `] `,
    /// `msg="`), a syslog tag (`docker[6947]: `) or a table's column gap (`kubectl describe`'s events).
    /// `Message: ` inside another producer's sentence (App Service's `… StatusCode:
    /// InternalServerError. Message: Docker API responded …`) is no trailer.
    static func isMessageTrailer(_ b: UnsafeRawBufferPointer) -> Bool {
        var from = 0
        while let at = b.firstIndex(of: messageTrailer, from: from) {
            from = at + messageTrailer.count
            var i = at
            while i > 0, b[i - 1] == 0x20 || b[i - 1] == 0x09 { i -= 1 }
            if i == 0 || at - i >= 2 { return true }
            let c = b[i - 1]
            if c == 0x5D || c == 0x22 || c == 0x3A || c == 0x5A || c &- 0x30 <= 9 { return true }
        }
        return false
    }

    /// Whether the line holds an escaped newline (`\n`, also escaped twice: `\\n`) inside its message:
    /// one not at the end of a JSON string (`\n"`, the newline that ends a Docker json-file record's
    /// `"log"`). A block escaped into one message (`…\n----…\n…`) holds one.
    static func holdsInnerEscapedNewline(_ b: UnsafeRawBufferPointer) -> Bool {
        var from = 0
        while let at = b.firstIndex(of: escapedNewline, from: from) {
            if at + 2 == b.count || b[at + 2] != 0x22 { return true }
            from = at + 2
        }
        return false
    }
    static let escapedNewline: [UInt8] = [0x5C, 0x6E]

    static let jsonReasonKeys: [[UInt8]] = [#""reason":""#, #""Reason":""#].map { Array($0.utf8) }
    static let jsonCountKeys: [[UInt8]] = [#""count":"#, #""Count":"#].map { Array($0.utf8) }

    /// A JSON row's event count, when the row is a Kubernetes event's (it has a `reason`).
    static func jsonEventCount(in b: UnsafeRawBufferPointer) -> Int? {
        guard jsonReasonKeys.contains(where: { b.firstIndex(of: $0) != nil }) else { return nil }
        for key in jsonCountKeys {
            guard let at = b.firstIndex(of: key) else { continue }
            var i = at + key.count
            while i < b.count, b[i] == 0x20 { i += 1 }
            var value = 0
            let start = i
            while i < b.count, b[i] &- 0x30 <= 9, i - start < 9 {
                value = value * 10 + Int(b[i] &- 0x30)
                i += 1
            }
            if i > start, value > 0 { return value }
        }
        return nil
    }

    static let attemptsMarker: [UInt8] = Array("(x".utf8)
    static let overWord: [UInt8] = Array(" over ".utf8)

    /// The attempts of a Kubernetes event that aggregates them: `(x261 over 60m)` → 261; as a JSON row
    /// (an event exporter's `"reason":…,"count":261`, Container Apps' system log `"Reason":…,"Count":3`),
    /// the event's count (matcher version 10).
    static func attempts(in b: UnsafeRawBufferPointer) -> Int? {
        if b.first == 0x7B, let count = jsonEventCount(in: b) { return count }
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
    /// The Azure CLI's `--debug` and logger prefix of its `acr` module.
    static let acrModule: [UInt8] = Array("command_modules.acr".utf8)

    /// The Azure SDKs' data-plane registry clients, as their errors name them (Go's
    /// `containerregistry.BaseClient#…` and `azcontainerregistry`, .NET's
    /// `Azure.Containers.ContainerRegistry`, every language's `ContainerRegistryClient`): matcher 6;
    /// PowerShell's Az.ContainerRegistry cmdlets and `AcrErrorsException`: matcher 11.
    static let registryClientBytes: [[UInt8]] = [
        "containerregistry.BaseClient", "azcontainerregistry", "Azure.Containers.ContainerRegistry",
        "ContainerRegistryClient",
        // PowerShell's Az.ContainerRegistry: its cmdlets' noun (`Get-AzContainerRegistryTag`, which an
        // error record puts before the message) and its data-plane client's exception (matcher 11).
        "-AzContainerRegistry", "AcrErrorsException",
    ].map { Array($0.utf8) }
    static let registryClients = NeedleList(registryClientBytes)

    /// Docker Engine's relay of a registry's error body with the containerd image store (moby
    /// `translateRegistryError`: `error from registry: MESSAGE`, the code dropped).
    static let registryRelay: [UInt8] = Array("error from registry: ".utf8)

    /// Whether the line is ACR's by its words: an `aka.ms/acr` link, the Azure CLI's acr module, or
    /// an Azure SDK's registry client. A link inside Docker's `error from registry:` relay is not
    /// enough (matcher 7): MCR, which runs on ACR, refuses with the same body, so there the registry
    /// must come from the line's host or the pull's context.
    /// `present` as in `status`: only the strings the presence pass saw are searched (most failure
    /// lines hold none of them: nine searches of the line before).
    static func isACRText(_ b: UnsafeRawBufferPointer, present: UInt64 = ~0) -> Bool {
        (seen(present, acrTextNeedles) && b.firstIndex(of: akaACR) != nil && b.firstIndex(of: registryRelay) == nil)
            || (seen(present, acrTextNeedles + 1) && b.firstIndex(of: acrModule) != nil)
            || (present & registryClientBits != 0 && registryClients.anyOccurs(in: b))
    }

    static let imageQuote: [UInt8] = Array("image \"".utf8)
    static let imageEscapedQuote: [UInt8] = Array("image \\\"".utf8)
    /// The same inside a JSON log record's string (Docker's json-file, journald's JSON): the logrus
    /// line's `\"` escaped once more (`image \\\"REF\\\"`; third fleet check, matcher 21).
    static let imageDoubleEscapedQuote: [UInt8] = Array("image \\\\\\\"".utf8)
    static let pullAccessDenied: [UInt8] = Array("pull access denied for ".utf8)

    /// Whether the line is about an image or registry other than ACR: a well-known public registry,
    /// Docker Hub's `pull access denied for NAME`, a Kubernetes `image "REF"` whose reference has no
    /// ACR host (and is not masked), or any other host that the line uses as a registry (a `/v2/` or
    /// token URL: a self-hosted Harbor or Artifactory). Only asked of lines that name no ACR login server.
    static func isForeign(_ b: UnsafeRawBufferPointer) -> Bool {
        if RegistryParser.namesForeignRegistry(b) || b.firstIndex(of: pullAccessDenied) != nil { return true }
        for marker in [imageQuote, imageEscapedQuote, imageDoubleEscapedQuote] {
            // The quoted reference holds no azurecr host: another registry, unless CI masked it.
            if let at = b.firstIndex(of: marker), !isMasked(b, at: at + marker.count) { return true }
        }
        return registryURLHost(in: b) || isApplicationCall(b)
    }

    /// Words that say a line is about a registry or about signing in to one (Entra ID's `AADSTS…`, a
    /// credential chain, a token endpoint such as IMDS's or ADFS's `…/oauth2/token`): not an application's call.
    static let registryWords: [[UInt8]] =
        (Rule.registryTopics + [
            "unauthorized:", "UNAUTHORIZED", "denied:", "AADSTS", "Credential", "credential", "oauth2", "/token",
            "identity",
        ]).map { Array($0.utf8) }
    static let documentationHosts: [[UInt8]] = ["aka.ms", "microsoft.com", "docs.docker", "github.com"].map {
        Array($0.utf8)
    }

    /// Whether the line is an application's call to its own API (`GET https://api.contoso.com/orders
    /// returned 401 Unauthorized`): a URL on a host that is not ACR's, not masked, not a sign-in or
    /// documentation host, on a line with no registry word (`Rule.registryTopics`), no registry error
    /// code and no sign-in word (`registryWords`). Such a 401 is not the registry's, whatever the log pulled before (matcher version 8).
    static func isApplicationCall(_ b: UnsafeRawBufferPointer) -> Bool {
        var from = 0
        var foreign = false
        while !foreign, let at = b.firstIndex(of: scheme, from: from) {
            let hostStart = at + scheme.count
            var end = hostStart
            while end < b.count, RegistryParser.isHostByte(b[end]) || b[end] == 0x2E || b[end] == 0x5F { end += 1 }
            from = end
            guard end > hostStart, !isMasked(b, at: hostStart) else { continue }
            let host = UnsafeRawBufferPointer(rebasing: b[hostStart..<end])
            foreign =
                host.firstIndex(ofFolded: RegistryParser.azurecr) == nil
                && !signInHosts.contains(where: { host.firstIndex(ofFolded: $0) != nil })
                && !documentationHosts.contains(where: { host.firstIndex(ofFolded: $0) != nil })
        }
        return foreign && !registryWords.contains { occursOutsideURLs($0, in: b) }
    }

    /// Whether `word` occurs in `b` outside every URL (`scheme://…` up to a blank or a quote): the
    /// path of an application's own URL (`…/api/v2/deployments`, `…/pull-requests`) says nothing
    /// about registries (third fleet check, matcher 21).
    static func occursOutsideURLs(_ word: [UInt8], in b: UnsafeRawBufferPointer) -> Bool {
        var from = 0
        while let at = b.firstIndex(of: word, from: from) {
            from = at + 1
            var start = at
            while start > 0, !isURLEnd(b[start - 1]) { start -= 1 }
            // The run of URL bytes holding the word starts with a scheme (`https://`): inside a URL.
            let run = UnsafeRawBufferPointer(rebasing: b[start..<at])
            guard let scheme = run.firstIndex(of: scheme), scheme > 0 else { return true }
        }
        return false
    }

    @inline(__always)
    static func isURLEnd(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x22 || c == 0x27 || c == 0x5C || c == 0x3C || c == 0x3E || c == 0x60
    }

    static let scheme: [UInt8] = Array("://".utf8)
    static let signInHosts: [[UInt8]] = ["microsoftonline", "login.windows", "management.azure", "management.core"].map
    { Array($0.utf8) }
    static let registryPaths: [[UInt8]] = [
        "/v2/", "/v2\"", "/v2\\", "/oauth2/token", "/service/token", "/token?", "/v1/_ping",
    ].map { Array($0.utf8) }

    /// Whether a registry API path (`registryPaths`) starts at `at` in `b`.
    static func startsRegistryPath(_ b: UnsafeRawBufferPointer, at: Int) -> Bool {
        registryPaths.contains { p in at + p.count <= b.count && (0..<p.count).allSatisfy { b[at + $0] == p[$0] } }
    }

    /// Whether the line holds a URL to a registry API (`/v2/…`, a token endpoint) on a host that is
    /// not ACR's and not masked: that host is the registry the line talks about.
    static func registryURLHost(in b: UnsafeRawBufferPointer) -> Bool {
        var from = 0
        while let at = b.firstIndex(of: scheme, from: from) {
            let hostStart = at + scheme.count
            var end = hostStart
            while end < b.count, RegistryParser.isHostByte(b[end]) || b[end] == 0x2E || b[end] == 0x5F { end += 1 }
            from = end
            guard end > hostStart, !isMasked(b, at: hostStart) else { continue }
            var path = end
            if path < b.count, b[path] == 0x3A {  // :port
                path += 1
                while path < b.count, b[path] &- 0x30 <= 9 { path += 1 }
            }
            guard startsRegistryPath(b, at: path) else { continue }
            // A host that is not ACR's (a company's Harbor, `localhost:5000`); sign-in hosts are no registries.
            let host = UnsafeRawBufferPointer(rebasing: b[hostStart..<end])
            if host.firstIndex(ofFolded: RegistryParser.azurecr) == nil,
                !signInHosts.contains(where: { host.firstIndex(ofFolded: $0) != nil })
            {
                return true
            }
        }
        return false
    }

    /// Whether the text at `at` is a masked or placeholder name: `***` (CI secret masking),
    /// `<acr-name>`, `[REDACTED]`, `{registry}`, `$ACR`.
    @inline(__always)
    static func isMasked(_ b: UnsafeRawBufferPointer, at: Int) -> Bool {
        guard at < b.count else { return false }
        switch b[at] {
        case 0x2A, 0x3C, 0x5B, 0x7B, 0x24: return true  // * < [ { $
        default: return false
        }
    }

    /// Whether the line refers to a registry whose name CI or a person masked: a `***` run where a
    /// registry host stands — after a URL scheme, `image "`, or `Get `, or before a `/` that starts
    /// a repository path — not a masked app id in quotes, nor make's `*** [target] Error`. Such a
    /// failure counts, with an unknown registry (CI masks registry names stored as secrets).
    static func hasMaskedRegistry(_ b: UnsafeRawBufferPointer) -> Bool {
        var from = 0
        while let at = b.firstIndex(of: mask, from: from) {
            var end = at
            while end < b.count, b[end] == 0x2A { end += 1 }
            from = end
            if end < b.count, b[end] == 0x2F { return true }  // ***/repo
            if follows(maskOpeners, in: b, at: at) { return true }
        }
        return false
    }

    /// What a person's redaction or placeholder standing where the registry host does says
    /// (`https://<redacted>/v2/`, `[REDACTED]/web/app:1`, `image "<acr-name>/app"`, `host="{registry}"`).
    enum Placeholder {
        /// The registry is unknown, not the name an earlier line of the log set (third fleet check,
        /// matcher 21). Unlike CI's `***` it is no ACR evidence by itself: a person redacts any
        /// registry (GitLab's, a company's) in a paste, so it stands for the registry only in an ACR
        /// context (an earlier ACR login, push or failure), or beside ACR's own words.
        case person
        /// In a Bicep module reference (`br:<redacted>/…`), whose registry is an Azure container
        /// registry: ACR evidence, as CI's `br:***` is.
        case bicep
    }

    /// The placeholder where the registry host stands in `b`, if any: one bracketed word or a few
    /// (`<redacted>`, `[repo name omitted]`), letters, digits, `-` and `_`, with a letter, after a
    /// URL scheme (then only before a registry API path, or ending the URL), `image "`, `Get `,
    /// `oci://`, `br:` or `host="`, or before a repository path. `.bicep` when one follows `br:`.
    static func placeholderRegistry(in b: UnsafeRawBufferPointer) -> Placeholder? {
        var found: Placeholder?
        var i = 0
        while i < b.count {
            let close: UInt8
            switch b[i] {
            case 0x3C: close = 0x3E  // <…>
            case 0x5B: close = 0x5D  // […]
            case 0x7B: close = 0x7D  // {…}
            default:
                i += 1
                continue
            }
            guard let end = placeholderEnd(b, from: i, close: close) else {
                i += 1
                continue
            }
            if follows(bicepScheme, in: b, at: i) { return .bicep }
            if found == nil, standsForHost(b, from: i, to: end) { found = .person }
            i = end
        }
        return found
    }

    /// Where the placeholder opened at `open` by its bracket ends (after `close`), or nil when the
    /// bracket holds no placeholder.
    static func placeholderEnd(_ b: UnsafeRawBufferPointer, from open: Int, close: UInt8) -> Int? {
        var end = open + 1
        var letter = false
        while end < b.count, end - open <= 40 {
            let c = b[end]
            if c == close { break }
            let isLetter = (c | 0x20) &- 0x61 < 26
            guard isLetter || c &- 0x30 <= 9 || c == 0x2D || c == 0x5F || c == 0x20 else { return nil }
            letter = letter || isLetter
            end += 1
        }
        guard end < b.count, b[end] == close, letter, end > open + 1 else { return nil }
        return end + 1
    }

    /// Whether the placeholder `b[start..<end]` stands where a registry host does.
    static func standsForHost(_ b: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Bool {
        if follows(urlScheme, in: b, at: start), !follows(ociScheme, in: b, at: start) {
            // In a URL, a person's placeholder stands for any host (`https://<your-domain>/api/auth`):
            // a registry's only when the URL goes on to a registry API path or stops at the host
            // (`oci://` names a registry by itself).
            return end == b.count || isURLEnd(b[end]) || startsRegistryPath(b, at: end)
        }
        if follows(maskOpeners, in: b, at: start) { return true }
        // Before a repository path (`<redacted>/web/app`), where a word starts (after a blank, a
        // quote, `=` or `(`): not inside a host (`registry.[redacted].nip.io`), not a marker glued
        // to a path (`##[error]/usr/…`), not an HTML page's tag before a registry API path
        // (`<code>/v2/…</code>`).
        let before: UInt8 = start > 0 ? b[start - 1] : 0x20
        let wordStart =
            before == 0x20 || before == 0x09 || before == 0x22 || before == 0x27 || before == 0x3D || before == 0x28
        return end < b.count && b[end] == 0x2F && wordStart
            && !(end + 3 < b.count && b[end + 1] == 0x76 && b[end + 2] == 0x32 && b[end + 3] == 0x2F)
    }

    /// Whether one of `openers` ends right before `at`.
    @inline(__always)
    static func follows(_ openers: [[UInt8]], in b: UnsafeRawBufferPointer, at: Int) -> Bool {
        openers.contains { opener in
            at >= opener.count && (0..<opener.count).allSatisfy({ b[at - opener.count + $0] == opener[$0] })
        }
    }

    static let mask: [UInt8] = Array("***".utf8)

    /// Whether the line holds Docker distribution's error detail with its `Class` key as
    /// go-containerregistry prints it (`[map[Action:pull Class: Name:REPO Type:repository]]`, Container
    /// Apps' relay of Docker Hub's refusal). ACR's details have no `Class` (`[map[Action:pull Name:REPO
    /// Type:repository]]`), so a masked first component (`***/repo`: a Docker Hub user CI stored as a
    /// secret) is no ACR evidence on such a line (matcher 12).
    static func hasDistributionDetail(_ b: UnsafeRawBufferPointer) -> Bool {
        guard let at = b.firstIndex(of: detailMap) else { return false }
        return b.firstIndex(of: classKey, from: at) != nil
    }

    static let detailMap: [UInt8] = Array("[map[".utf8)
    static let classKey: [UInt8] = Array(" Class:".utf8)
    static let urlScheme: [[UInt8]] = [scheme]
    static let ociScheme: [[UInt8]] = [Array("oci://".utf8)]
    /// A Bicep module reference (`br:REGISTRY/…`): its registry is an Azure container registry.
    static let bicepScheme: [[UInt8]] = [Array("br:".utf8)]
    static let maskOpeners: [[UInt8]] = [
        "://", "image \"", "image \\\"", "Get ", "Get \"", "oci://", "br:", "host=\"", "host=\\\"",
    ].map {
        Array($0.utf8)
    }
}
