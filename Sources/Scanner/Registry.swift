import LogModel

/// What the lines read so far say about which registry the log is talking to: the context that a
/// failing line without a login server takes its registry from (docs/counting-rules.md, "Registry").
public enum RegistryContext: Sendable, Equatable, Hashable {
    /// Nothing named a registry yet.
    case none
    /// An ACR registry: its name, or nil when the name was masked (`***`, `<redacted>`).
    case acr(String?)
    /// A registry that is not ACR (`docker login ghcr.io`): host-less failures after it do not count.
    case other

    /// A compact text form for the store's resume state: `""`, `"acr:NAME"`, `"acr:"`, `"other"`.
    public var encoded: String {
        switch self {
        case .none: ""
        case .acr(let name): "acr:" + (name ?? "")
        case .other: "other"
        }
    }

    /// Reads the text form written by `encoded`; anything unknown is `.none`.
    public init(encoded: String) {
        if encoded == "other" {
            self = .other
        } else if encoded.hasPrefix("acr:") {
            let name = String(encoded.dropFirst(4))
            self = .acr(name.isEmpty ? nil : name)
        } else {
            self = .none
        }
    }
}

/// An ACR login server found in a line.
struct RegistryMention: Equatable {
    /// Normalised registry name, nil when masked.
    var name: String?
    /// The login server, lowercased, without port; nil when masked.
    var loginServer: String?
    /// The repository of an image reference or URL path after the login server.
    var repository: String?
    /// Whether the login server is the start of an object's name (`NAME.azurecr.io-pull-secret`, a
    /// Kubernetes object called after the registry): it names the registry, but no request went to
    /// it, so it is ACR evidence only for words that are ACR's own (round 13).
    var objectName = false

    init(name: String?, loginServer: String? = nil, repository: String? = nil, objectName: Bool = false) {
        self.name = name
        self.loginServer = loginServer
        self.repository = repository
        self.objectName = objectName
    }
}

/// Byte-level registry extraction, on candidate and context lines only.
enum RegistryParser {
    static let azurecr: [UInt8] = Array("azurecr".utf8)
    /// Words that people and CI systems put where a registry name was.
    static let masks: Set<String> = ["redacted", "masked", "hidden", "omitted", "secret"]

    /// A byte of an ACR registry name: an ASCII letter or digit.
    @inline(__always)
    static func isNameByte(_ c: UInt8) -> Bool { (c | 0x20) &- 0x61 < 26 || c &- 0x30 <= 9 }

    /// A byte that may end a registry name in a command: a space, quote, control or line end.
    @inline(__always)
    static func isWordEnd(_ c: UInt8) -> Bool {
        c <= 0x20 || c == 0x22 || c == 0x27 || c == 0x3B || c == 0x29 || c == 0x5C
    }

    @inline(__always)
    static func isHostByte(_ c: UInt8) -> Bool {
        (c | 0x20) &- 0x61 < 26 || c &- 0x30 <= 9 || c == 0x2D
    }

    /// Normalises a registry name: lowercased; nil unless it is a valid ACR name (5–50 letters and
    /// digits) that is not a placeholder. Masked forms (`***`, `***0***`, `<redacted>`) fail the test.
    static func normalise<C: Collection<UInt8>>(_ bytes: C) -> String? {
        guard (5...50).contains(bytes.count),
            bytes.allSatisfy({ ($0 | 0x20) &- 0x61 < 26 || $0 &- 0x30 <= 9 })
        else { return nil }
        // The placeholders are told by their bytes, before a `String` is made (no hashing, no
        // walk over `Character`s).
        if bytes.allSatisfy({ $0 | 0x20 == 0x78 }) { return nil }  // x or X only
        if maskBytes.contains(where: { $0.count == bytes.count && zip($0, bytes).allSatisfy { $0 == foldASCII($1) } }) {
            return nil
        }
        return lowercased(bytes)
    }
    static let maskBytes: [[UInt8]] = masks.map { Array($0.utf8) }

    /// The bytes as a lowercased string, built in place (no intermediate array; names of up to 15
    /// bytes are stored inline, without a heap allocation).
    static func lowercased<C: Collection<UInt8>>(_ bytes: C) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { buffer in
            for (i, byte) in bytes.enumerated() { buffer[i] = foldASCII(byte) }
            return bytes.count
        }
    }

    /// The first ACR login server in the line (`NAME[.REGION.data].azurecr.(io|cn|us)`, any case,
    /// optionally with `:port` and a path), or nil when the line names none. Without `details`,
    /// only the name is read (for the registry context of lines that show no failure).
    static func firstMention(in b: UnsafeRawBufferPointer, details: Bool = true) -> RegistryMention? {
        var from = 0
        var object: RegistryMention?
        while let at = b.firstIndex(ofFolded: azurecr, from: from) {
            from = at + azurecr.count
            // `.azurecr.` followed by a two-letter top-level domain.
            guard from + 3 <= b.count, b[from] == 0x2E,
                (b[from + 1] | 0x20) &- 0x61 < 26, (b[from + 2] | 0x20) &- 0x61 < 26
            else { continue }
            guard from + 3 == b.count || !isHostByte(b[from + 3]) else {
                // `NAME.azurecr.io-dockerregistry-credentials`: an object named after the registry (an
                // ExternalSecret, a pull secret), taken only when the line names no login server of its
                // own; dashes that run on into a dot are another host's name
                // (`NAME.azurecr.io-mirror.corp.example`), no registry's (round 13).
                if details, object == nil, b[from + 3] == 0x2D, Self.endsObjectName(b, from: from + 3),
                    at > 0, b[at - 1] == 0x2E
                {
                    object = objectMention(b, at: at, hostEnd: from + 3)
                }
                continue
            }
            guard at > 0, b[at - 1] == 0x2E else {
                // The host without its name label (`get azurecr.io/v2/…`, `https://azurecr.io/v2/`):
                // ACR, name unknown — when it stands as a host of its own, with a path after it
                // (matcher version 5); in prose, or inside another host's path, it is no login server.
                guard
                    at == 0
                        || !(isHostByte(b[at - 1]) || b[at - 1] == 0x2F && !Self.followsScheme(b, at)
                            || b[at - 1] == 0x5F),
                    from + 3 < b.count, b[from + 3] == 0x2F
                else { continue }
                guard details else { return RegistryMention(name: nil) }
                return RegistryMention(name: nil, repository: repository(in: b, after: from + 3))
            }
            var start = at - 1
            while start > 0, isHostByte(b[start - 1]) || b[start - 1] == 0x2E { start -= 1 }
            // JSON escapes a quote before the host as `\u0027`: the `u0027` is not part of it.
            if start >= 1, b[start - 1] == 0x5C, start + 5 < at, b[start] | 0x20 == 0x75 { start += 5 }
            // `docker.io/library/myacr.azurecr.io`, `Name:library/myacr.azurecr.io`: Docker's reference
            // rule made a login server given without a repository into a repository of Docker Hub's
            // `library/` namespace; the request went to Docker Hub, so this is no login server (matcher version 9).
            // A name CI masked (`library/***.azurecr.io`) is the same request (matcher version 10).
            var masked = start
            while masked > 0, b[masked - 1] == 0x2A { masked -= 1 }
            if isDockerHubLibraryPath(b, before: masked) { continue }
            // `pull access denied for myacr.azurecr.io, …`, `image "myacr.azurecr.io:latest"`: a login
            // server given where Docker wants an image is, by Docker's reference rule (the first part
            // is a registry only when a `/` follows it), Docker Hub's `library/myacr.azurecr.io`; the
            // refusal is Docker Hub's, and the line names no login server (matcher version 11).
            if isBareImageName(b, start: masked, hostEnd: from + 3) { continue }
            let hostEnd = from + 3
            let firstDot = (start..<at).first { b[$0] == 0x2E } ?? (at - 1)
            // `my_registry.azurecr.io`, `{name}.azurecr.io`: the label goes on past what a host
            // holds, so its first part is not the registry's name (a placeholder or a typo): unknown.
            let glued =
                start > 0
                && (b[start - 1] == 0x5F || b[start - 1] == 0x7D || b[start - 1] == 0x3E || b[start - 1] == 0x5D)
            let name = glued ? nil : normalise(b[start..<firstDot])
            guard details else { return RegistryMention(name: name) }
            let server = name == nil ? nil : lowercased(b[start..<hostEnd])
            return RegistryMention(name: name, loginServer: server, repository: repository(in: b, after: hostEnd))
        }
        return object
    }

    /// Whether the dashes and name bytes from `from` end where an object's name does (a quote, a
    /// blank, a `,`, a `/`, the line's end), not in a `.` that goes on into a host name.
    static func endsObjectName(_ b: UnsafeRawBufferPointer, from: Int) -> Bool {
        var i = from
        while i < b.count, isHostByte(b[i]) { i += 1 }
        return i == b.count || b[i] != 0x2E && b[i] != 0x3A
    }

    /// The registry named by the object whose name starts with the login server `…azurecr.XX`
    /// (`at`: the `azurecr`, `hostEnd`: the byte after the top-level domain).
    static func objectMention(_ b: UnsafeRawBufferPointer, at: Int, hostEnd: Int) -> RegistryMention {
        var start = at - 1
        while start > 0, isHostByte(b[start - 1]) || b[start - 1] == 0x2E { start -= 1 }
        let firstDot = (start..<at).first { b[$0] == 0x2E } ?? (at - 1)
        let name = normalise(b[start..<firstDot])
        return RegistryMention(
            name: name, loginServer: name == nil ? nil : lowercased(b[start..<hostEnd]), objectName: true)
    }

    /// Where a hard wrap cut a host in two, the registry of both pieces (matcher 25). `row` starts
    /// with the host of `mention`, the login server found in it (or with `.azurecr.`, or with a label
    /// too short for a name before it: `sion.azurecr.io`), and `rowBefore()` ends with the host's first
    /// piece (`cutHostPiece`): the name is the two pieces' (`arcgisenterprise248c2940cb03b8d5`), or
    /// unknown where they make no valid name (a mask cut in two: `RED` / `ACTED.azurecr.io`).
    /// Otherwise `mention` as it is. The row before is read only when `row` starts with the host.
    static func rejoinCutHost(
        _ mention: RegistryMention?, row: UnsafeRawBufferPointer, narrowest: Int,
        rowBefore: () -> UnsafeRawBufferPointer?
    ) -> RegistryMention? {
        guard let mention, let labelEnd = hostLabelEnd(row) else { return mention }
        // The mention found is the row's own host: its name is the row's first label.
        if let name = mention.name {
            guard name.utf8.elementsEqual(row[..<labelEnd].lazy.map(foldASCII)) else { return mention }
        }
        guard let before = rowBefore(), let piece = cutHostPiece(before, narrowest: narrowest) else {
            return mention
        }
        guard let name = normalise(Array(piece) + row[..<labelEnd]) else {
            return RegistryMention(name: nil, repository: mention.repository, objectName: mention.objectName)
        }
        return RegistryMention(
            name: name, loginServer: mention.loginServer.map { lowercased(piece) + $0 },
            repository: mention.repository, objectName: mention.objectName)
    }

    /// Where `row` starts with an ACR host (`NAME.azurecr.`, `.azurecr.`, a label too short for a
    /// name: `sion.azurecr.io`, or a name with its region: `NAME.westus.data.azurecr.io`), the end of
    /// its first label (0 for `.azurecr.`); else nil. O(the host's bytes).
    static func hostLabelEnd(_ row: UnsafeRawBufferPointer) -> Int? {
        guard let first = row.first, isNameByte(first) || first == 0x2E else { return nil }
        var labelEnd = 0
        while labelEnd < row.count, isNameByte(row[labelEnd]) { labelEnd += 1 }
        guard labelEnd < row.count, row[labelEnd] == 0x2E else { return nil }
        var end = labelEnd
        while end < row.count, isHostByte(row[end]) || row[end] == 0x2E { end += 1 }
        let host = UnsafeRawBufferPointer(rebasing: row[labelEnd..<end])
        return host.firstIndex(ofFolded: Self.dottedAzurecr) != nil ? labelEnd : nil
    }
    static let dottedAzurecr = Array(".azurecr.".utf8)

    /// The start of a host that a hard wrap cut off the end of `row`: a row of at least `narrowest`
    /// bytes that ends inside a word, the piece right after `//`, a quote, `=`, `(` or `[` (`… GET
    /// request to https://arcgisen`, `service=28363dev`). A terminal cuts at its width wherever that
    /// falls; a ticket's wrap only inside a word longer than a row. A piece after a blank is not one:
    /// a wrap at the blank gives the same rows, and the host was whole.
    static func cutHostPiece(_ row: UnsafeRawBufferPointer, narrowest: Int) -> Slice<UnsafeRawBufferPointer>? {
        let n = row.count
        guard n >= narrowest, isNameByte(row[n - 1]) else { return nil }
        var start = n - 1
        while start > 0, isNameByte(row[start - 1]) { start -= 1 }
        guard start > 0 else { return nil }
        let delimiter = row[start - 1]
        guard
            delimiter == 0x22 || delimiter == 0x27 || delimiter == 0x3D || delimiter == 0x28 || delimiter == 0x5B
                || delimiter == 0x2F && start >= 2 && row[start - 2] == 0x2F
        else { return nil }
        return row[start..<n]
    }

    /// Whether the `/` before `at` ends a URL scheme (`https://`, `http://`, `oci://`).
    static func followsScheme(_ b: UnsafeRawBufferPointer, _ at: Int) -> Bool {
        at >= 3 && b[at - 1] == 0x2F && b[at - 2] == 0x2F && b[at - 3] == 0x3A
    }

    /// The repository of `HOST[:port]/repo/path[:tag|@digest]` or `HOST/v2/repo/path/manifests/…`.
    static func repository(in b: UnsafeRawBufferPointer, after hostEnd: Int) -> String? {
        var i = hostEnd
        if i < b.count, b[i] == 0x3A {  // :443
            i += 1
            while i < b.count, b[i] &- 0x30 <= 9 { i += 1 }
        }
        guard i < b.count, b[i] == 0x2F else { return nil }
        i += 1
        var end = i
        while end < b.count, isHostByte(b[end]) || b[end] == 0x2E || b[end] == 0x5F || b[end] == 0x2F { end += 1 }
        // The path, folded: its bytes where they lie, cut (no copy until the `String`).
        func starts(_ prefix: [UInt8], at from: Int) -> Bool {
            from + prefix.count <= end && (0..<prefix.count).allSatisfy { foldASCII(b[from + $0]) == prefix[$0] }
        }
        if starts(v2Slash, at: i) { i += 3 }
        for marker in pathEnds {
            if let cut = UnsafeRawBufferPointer(rebasing: b[i..<end]).firstIndex(ofFolded: marker) { end = i + cut }
        }
        while end > i, b[end - 1] == 0x2F { end -= 1 }
        if end == i || (end - i == 2 && starts(v2, at: i)) || starts(oauth2, at: i) || starts(acrSlash, at: i) {
            return nil
        }
        return lowercased(b[i..<end])
    }
    static let v2Slash: [UInt8] = Array("v2/".utf8)
    static let v2: [UInt8] = Array("v2".utf8)
    static let oauth2: [UInt8] = Array("oauth2".utf8)
    static let acrSlash: [UInt8] = Array("acr/".utf8)

    static let pathEnds: [[UInt8]] = ["/manifests/", "/blobs/", "/tags/"].map { Array($0.utf8) }
    static let acrWord: [UInt8] = Array("acr ".utf8)
    static let acrLogin: [UInt8] = Array("acr login".utf8)
    static let registriesPath: [UInt8] = Array("/registries/".utf8)
    static let providerNamespace: [UInt8] = Array("microsoft.containerregistry".utf8)
    static let resourceWithName: [UInt8] = Array("resource with name '".utf8)
    static let registryResourceType: [UInt8] = Array("' and type 'Microsoft.ContainerRegistry/registries'".utf8)

    /// Whether the `/registries/` at `at` starts an ARM action (`'Microsoft.ContainerRegistry/
    /// registries/read'`, `…/registries/tasks/write'`): the provider's namespace with no
    /// `/providers/` before it (a resource id names the registry) and an operation (`read`, `write`,
    /// `delete`) as the path's last segment (`'Microsoft.ContainerRegistry/registries/NAME'` in ARM's
    /// not-found names the registry).
    static func isActionPath(_ b: UnsafeRawBufferPointer, at: Int) -> Bool {
        let n = providerNamespace.count
        guard at >= n else { return false }
        for k in 0..<n where b[at - n + k] | 0x20 != providerNamespace[k] { return false }
        guard at == n || b[at - n - 1] != 0x2F else { return false }
        var end = at + registriesPath.count
        var segment = end
        while end < b.count, !isWordEnd(b[end]) {
            if b[end] == 0x2F { segment = end + 1 }
            end += 1
        }
        guard end > segment else { return false }
        let last = b[segment..<end]
        return operations.contains { $0.elementsEqual(last) }
    }
    static let operations: [[UInt8]] = ["read", "write", "delete", "action"].map { Array($0.utf8) }
    static let actionSuffix: [UInt8] = Array("/action".utf8)

    /// Whether the path that goes on at `from` (up to the end of its word) ends in `/action`.
    static func namesAction(_ b: UnsafeRawBufferPointer, from: Int) -> Bool {
        var end = from
        while end < b.count, !isWordEnd(b[end]) { end += 1 }
        return b.firstIndex(of: actionSuffix, from: from).map { $0 + actionSuffix.count <= end } ?? false
    }
    static let nameFlags: [[UInt8]] = ["--name=", "--name ", "--registry=", "--registry ", "-n ", "-r "].map {
        Array($0.utf8)
    }
    static let registryFlagsFirst: [[UInt8]] = ["--registry=", "--registry ", "-r ", "--name=", "--name ", "-n "].map {
        Array($0.utf8)
    }
    static let acrImport: [UInt8] = Array("acr import".utf8)
    static let endsBeforeName: [[UInt8]] = [" -n", " --name", " -r", " --registry", "acr login"].map {
        Array($0.utf8)
    }

    /// Whether `b` ends (before trailing blanks) where an `az acr login` command's name would follow:
    /// after the command or a name flag.
    static func endsBeforeLoginName(_ b: UnsafeRawBufferPointer) -> Bool {
        let end = LineEdges.trimmedLength(b)
        return endsBeforeName.contains { flag in
            flag.count <= end && UnsafeRawBufferPointer(rebasing: b[(end - flag.count)..<end]).elementsEqual(flag)
        }
    }

    static let sourceFlag: [UInt8] = Array("--source".utf8)
    static let sourceFlags: [[UInt8]] = ["--source ", "--source="].map { Array($0.utf8) }
    /// `Invalid message Unauthorized`: how `az acr import` relays its source registry's refusal.
    static let importRelay: [UInt8] = Array("Invalid message Unauthorized".utf8)

    /// The login server in an `az acr import` command's `--source` value, when it is an ACR's.
    /// Read on every context line with a login server: the rare `--source` is searched first.
    static func importSource(in b: UnsafeRawBufferPointer) -> RegistryMention? {
        guard let source = b.firstIndex(of: sourceFlag), let acr = azAcrWord(in: b), acr < source,
            b.firstIndex(of: acrImport, from: acr) == acr
        else { return nil }
        for flag in sourceFlags {
            guard let at = b.firstIndex(of: flag, from: source) else { continue }
            var end = at + flag.count
            while end < b.count, b[end] == 0x20 || b[end] == 0x22 || b[end] == 0x27 { end += 1 }
            while end < b.count, !isWordEnd(b[end]) { end += 1 }
            return firstMention(in: UnsafeRawBufferPointer(rebasing: b[(at + flag.count)..<end]), details: false)
        }
        return nil
    }
    static let aksRegistryFlags: [[UInt8]] = [
        "--attach-acr=", "--attach-acr ", "--detach-acr=", "--detach-acr ", "--acr=", "--acr ",
    ].map { Array($0.utf8) }

    /// Where `acr ` starts a word (`az acr login`), not the end of a flag (`--attach-acr `) or of an
    /// `az aks` command (`az aks check-acr `), whose `-n` names a cluster.
    static func azAcrWord(in b: UnsafeRawBufferPointer) -> Int? {
        var from = 0
        while let at = b.firstIndex(of: acrWord, from: from) {
            if at == 0 || b[at - 1] != 0x2D { return at }
            from = at + acrWord.count
        }
        return nil
    }
    static let loginCommands: [[UInt8]] = [
        "docker login", "podman login", "registry login", "oras login", "buildah login", "skopeo login",
        "crane auth login",
        "push refers to repository", "docker push ", "docker pull ", "podman push ", "podman pull ", "helm push ",
        "helm pull ",
        "oras push ", "oras pull ",
    ].map { Array($0.utf8) }
    /// Sign-ins to Azure itself (`az login`, the azure/login action): they start a new step, so an
    /// earlier registry no longer names what fails next.
    static let azureSignIns: [[UInt8]] = ["az login", "azure cli login", "azure/login"].map { Array($0.utf8) }

    /// What this line says about the registry context: an ACR login server, an `az acr … -n NAME`
    /// command, an ARM resource id, or a login/push/pull command for another registry.
    /// Nil when the line says nothing about registries. For lines already known to name no ACR
    /// login server (a login server sets the context to its registry directly).
    static func context(withoutLoginServer b: UnsafeRawBufferPointer) -> RegistryContext? {
        var from = 0
        while let at = b.firstIndex(of: registriesPath, from: from) {
            var end = at + registriesPath.count
            while end < b.count, isHostByte(b[end]) || b[end] == 0x2A { end += 1 }
            from = end
            // `…/registries/listCredentials/action` names an operation, not a registry; so does any
            // ARM action (`'Microsoft.ContainerRegistry/registries/read'`, `…/registries/write'`,
            // `…/registries/tasks/read'`), which starts at the provider namespace, where a resource id
            // has `/providers/` before it (matcher 9).
            if end < b.count, b[end] == 0x2F, namesAction(b, from: end) { continue }
            if isActionPath(b, at: at) { continue }
            return .acr(normalise(b[(at + registriesPath.count)..<end]))
        }
        // ARM's not-found for the registry's resource (`The resource with name 'NAME' and type
        // 'Microsoft.ContainerRegistry/registries' could not be found in subscription …`), which
        // `az acr login` and the other `az acr` commands print: the name is the registry (matcher 9).
        if let type = b.firstIndex(of: registryResourceType), let open = b.firstIndex(of: resourceWithName),
            open < type
        {
            let start = open + resourceWithName.count
            var end = start
            while end < b.count, isNameByte(b[end]) { end += 1 }
            return .acr(end == type ? normalise(b[start..<end]) : nil)
        }
        // `az aks create|update --attach-acr NAME` (`--detach-acr`), `az aks check-acr --acr NAME`: the
        // flag's value is the registry (a login server or an ARM id is read above); `-n` on the same
        // line names the cluster (matcher version 10).
        for flag in aksRegistryFlags {
            guard let at = b.firstIndex(of: flag) else { continue }
            var start = at + flag.count
            while start < b.count, b[start] == 0x20 || b[start] == 0x22 || b[start] == 0x27 { start += 1 }
            var end = start
            while end < b.count, isNameByte(b[end]) { end += 1 }
            // A variable (`$ACR_NAME`), a placeholder or a redaction (`{}`): ACR, name unknown.
            if end == start || (end < b.count && !isWordEnd(b[end])) { return .acr(nil) }
            return .acr(normalise(b[start..<end]))
        }
        if let cmdlet = powerShellRegistry(in: b) { return cmdlet }
        if let acr = azAcrWord(in: b) {
            // `-r`/`--registry` names the registry wherever it is given, and `-n` then names a task,
            // token, scope map, webhook or manifest (`az acr task create -r R -n build`, `az acr
            // manifest list-metadata -r R -n repo`); only `az acr import` takes `-r` for its source.
            let flags = b.firstIndex(of: acrImport, from: acr) == acr ? nameFlags : registryFlagsFirst
            for flag in flags {
                guard let at = b.firstIndex(of: flag, from: acr) else { continue }
                // `-n` must start a word (not `--no-wait -n`'s tail of another flag).
                if flag[1] != 0x2D, at > 0, b[at - 1] != 0x20 { continue }
                var start = at + flag.count
                while start < b.count, b[start] == 0x20 || b[start] == 0x22 || b[start] == 0x27 { start += 1 }
                // The name ends at the first byte no ACR name has: a quote, a space, and also the
                // ANSI colour code that a CI runner's echo of the command puts after it.
                var end = start
                while end < b.count, isNameByte(b[end]) { end += 1 }
                // A variable (`$ACR`, `${{ secrets.ACR }}`), a mask or a placeholder: ACR, name unknown.
                if end < b.count, !isWordEnd(b[end]) { return .acr(nil) }
                return .acr(normalise(b[start..<end]))
            }
            // `az acr login` with a name in a form not read above (`-name X`, a positional typo): ACR.
            // Unless the line ends at the name's flag: the command, or the CLI's tip quoting it, was
            // wrapped by a terminal before its name, which starts the next line; the line says nothing
            // the command before it did not, so the context stays (WrappedPasteTests).
            if b.firstIndex(of: acrLogin, from: acr) == acr { return endsBeforeLoginName(b) ? nil : .acr(nil) }
        }
        for command in loginCommands {
            guard let at = b.firstIndex(of: command) else { continue }
            // The target of the login, push or pull: a registry that CI masked as a secret (`***`)
            // counts as ACR with an unknown name (docs/counting-rules.md); a named host, none (Docker
            // Hub), or a variable that the log never resolves (`$REGISTRY`) is another registry.
            var i = at + command.count
            while i < b.count, b[i] == 0x20 || b[i] == 0x5B || b[i] == 0x22 || b[i] == 0x27 { i += 1 }
            // `helm push CHART REF`: the target is the second argument; helm's references start with
            // `oci://` (third fleet check, matcher 21: `helm push app.tgz oci://***/helm` is a masked ACR).
            if command == helmPush {
                while i < b.count, b[i] != 0x20 { i += 1 }
                while i < b.count, b[i] == 0x20 || b[i] == 0x22 || b[i] == 0x27 { i += 1 }
            }
            if holds(b, ociScheme, at: i) {
                i += ociScheme.count
                if i < b.count, b[i] == 0x5B { i += 1 }
            }
            return isMaskedHost(b, at: i) ? .acr(nil) : .other
        }
        if azureSignIns.contains(where: { b.firstIndex(ofFolded: $0) != nil }) { return RegistryContext.none }
        if let sentence = sentenceRegistry(in: b) { return sentence }
        // A tool that says it works with ACR without naming the registry (`No credential was
        // provided to access Azure Container Registry`): ACR, name unknown.
        if b.firstIndex(ofFolded: azureContainerRegistry) != nil { return .acr(nil) }
        if curlsElsewhere(b) { return .other }
        return nil
    }

    static let powerShellNoun: [UInt8] = Array("-azcontainerregistry".utf8)
    static let powerShellRegistryFlag: [UInt8] = Array("-registryname ".utf8)
    static let powerShellNameFlag: [UInt8] = Array("-name ".utf8)
    static let powerShellCredential: [UInt8] = Array("credential".utf8)

    /// The registry an Az.ContainerRegistry cmdlet names (`Connect-AzContainerRegistry -Name NAME`,
    /// `Get-AzContainerRegistryTag -RegistryName NAME -RepositoryName …`): `-RegistryName`, or `-Name`
    /// for the registry's own cmdlets (`…-AzContainerRegistry`, `…-AzContainerRegistryCredential`),
    /// where the others' `-Name` is a tag, webhook or replica. A variable (`$env:ACR_NAME`): ACR, name
    /// unknown. Nil when the line holds no such cmdlet or it names no registry (matcher version 11).
    static func powerShellRegistry(in b: UnsafeRawBufferPointer) -> RegistryContext? {
        guard let at = b.firstIndex(ofFolded: powerShellNoun) else { return nil }
        let nounEnd = at + powerShellNoun.count
        var end = nounEnd
        while end < b.count, isNameByte(b[end]) { end += 1 }
        let ownNoun =
            end == nounEnd
            || (end - nounEnd == powerShellCredential.count
                && (0..<powerShellCredential.count).allSatisfy {
                    foldASCII(b[nounEnd + $0]) == powerShellCredential[$0]
                })
        for flag in ownNoun ? [powerShellRegistryFlag, powerShellNameFlag] : [powerShellRegistryFlag] {
            var from = end
            while let found = b.firstIndex(ofFolded: flag, from: from) {
                from = found + flag.count
                // The flag starts a word (`-Name` is not the tail of `-RepositoryName`).
                guard found > 0, b[found - 1] == 0x20 else { continue }
                var start = from
                while start < b.count, b[start] == 0x20 || b[start] == 0x22 || b[start] == 0x27 { start += 1 }
                var stop = start
                while stop < b.count, isNameByte(b[stop]) { stop += 1 }
                if stop == start || (stop < b.count && !isWordEnd(b[stop])) { return .acr(nil) }
                return .acr(normalise(b[start..<stop]))
            }
        }
        return nil
    }

    static let helmPush: [UInt8] = Array("helm push ".utf8)
    static let ociScheme: [UInt8] = Array("oci://".utf8)
    static let curlCommand: [UInt8] = Array("curl ".utf8)
    static let urlScheme: [UInt8] = Array("://".utf8)
    /// What runs a command in the order of its output: `set -x`'s `+ `, a prompt's `$ ` (GitLab's
    /// echo too), Azure Pipelines' `[command]`, GitHub Actions' `##[group]Run `.
    static let commandLeads: [[UInt8]] = ["+ ", "$ ", "[command]", "##[group]Run "].map { Array($0.utf8) }

    /// Whether the line runs `curl` on a URL of a host that is not ACR's (a line that names a
    /// login server is read before, and one that holds `azurecr` at all is left alone): what fails
    /// next (`curl: (22) The requested URL returned error: 401`) is that service's, an application's
    /// own 401, not the registry's that the log named before (SPEC §3; second fleet check, matcher
    /// 14). Only a command run where it stands counts (`+ curl`, `$ curl`, `[command]/usr/bin/curl`,
    /// `##[group]Run curl`): a script echoed before its output (a runner's coloured echo of the `Run`
    /// block, `Script contents:`) or a pasted command line names nothing about what fails next.
    static func curlsElsewhere(_ b: UnsafeRawBufferPointer) -> Bool {
        guard let at = b.firstIndex(of: curlCommand), b.firstIndex(of: urlScheme, from: at) != nil else {
            return false
        }
        // `curl` or a path to it (`/usr/bin/curl`), after one of the leads.
        var start = at
        if at > 0, b[at - 1] == 0x2F {
            while start > 0, b[start - 1] != 0x20, b[start - 1] != 0x5D { start -= 1 }
        }
        let lead = UnsafeRawBufferPointer(rebasing: b[..<start])
        guard
            commandLeads.contains(where: { lead.count >= $0.count && lead.suffix($0.count).elementsEqual($0) })
                || isPrompt(lead)
        else { return false }
        return b.firstIndex(ofFolded: azurecr) == nil
    }

    /// Whether `lead` ends with a shell prompt other than `$ `: root's (`root@host:/src# `,
    /// `[root@host src]# `: `# ` right after a word, never a comment's `# `) or PowerShell's
    /// (`PS C:\src> `) (third fleet check, matcher 21).
    static func isPrompt(_ lead: UnsafeRawBufferPointer) -> Bool {
        let n = lead.count
        guard n >= 3, lead[n - 1] == 0x20 else { return false }
        if lead[n - 2] == 0x23 { return lead[n - 3] != 0x20 && lead[n - 3] != 0x23 }  // `…x# `
        return lead[n - 2] == 0x3E && n >= 5 && lead[0] == 0x50 && lead[1] == 0x53 && lead[2] == 0x20  // `PS …> `
    }

    static let pushPullStrings = [
        "push refers to repository ", "docker push ", "docker pull ", "podman push ", "podman pull ",
        "docker image push ",
        "docker image pull ",
    ]
    static let pushPullCommands = NeedleList(pushPullStrings)
    /// The commands, found in one pass (`LiteralSet.presence`): most failure lines hold none, and
    /// seven searches of each cost three times that pass.
    static let pushPullSet = LiteralSet(pushPullStrings)

    /// The registry a push or pull command goes to, by Docker's reference rule: the first part of
    /// the image reference is a registry host only when a `/` follows it and it holds a `.` or `:`
    /// (or is `localhost`); otherwise the image is Docker Hub's (`docker push myacr.azurecr.io:1`
    /// pushes to `docker.io/library/myacr.azurecr.io`). Nil when the line holds no such command.
    static func pushPullTarget(in b: UnsafeRawBufferPointer) -> RegistryContext? {
        // The first command of the list that the line holds decides.
        let present = pushPullSet.presence(in: b)
        if present != 0, let (_, at, length) = pushPullCommands.firstListed(in: b, present: present) {
            var start = at + length
            // Flags (`--all-tags`, `-q`) come before the reference.
            while start < b.count {
                while start < b.count, b[start] == 0x20 || b[start] == 0x22 || b[start] == 0x27 || b[start] == 0x5B {
                    start += 1
                }
                guard start < b.count, b[start] == 0x2D else { break }
                while start < b.count, b[start] != 0x20 { start += 1 }
            }
            var end = start
            while end < b.count, !isWordEnd(b[end]), b[end] != 0x5D { end += 1 }
            let reference = UnsafeRawBufferPointer(rebasing: b[start..<end])
            guard !reference.isEmpty else { return nil }
            // *** (CI masked it), or a redaction or placeholder where the host stands: ACR, name unknown.
            if isMaskedHost(b, at: start) { return .acr(nil) }
            guard let slash = reference.firstIndex(of: slashByte) else { return .other }
            let host = UnsafeRawBufferPointer(rebasing: reference[..<slash])
            guard host.contains(where: { $0 == 0x2E || $0 == 0x3A }) else { return .other }
            guard let azure = host.firstIndex(ofFolded: azurecr), azure > 0, host[azure - 1] == 0x2E else {
                return .other
            }
            let dot = host.firstIndex(where: { $0 == 0x2E }) ?? azure - 1
            return .acr(normalise(host[..<dot]))
        }
        return nil
    }

    /// Whether a mask stands where a command's registry host starts at `i` (the caller skipped the
    /// quotes and `[` before it): CI's `***`, or a person's redaction or placeholder (`<redacted>`,
    /// JSON-escaped `\u003credacted\u003e`, `{registry}`, `[REDACTED]` whose `[` was skipped) that
    /// ends where a host ends (`/`, `.`, `:`, or the word). `[myacr.azurecr.io/api]` (Docker's list of one repository) is no mask.
    /// Matcher version 11; before, only `***`.
    static func isMaskedHost(_ b: UnsafeRawBufferPointer, at i: Int) -> Bool {
        guard i < b.count else { return false }
        if b[i] == 0x2A { return true }
        var j: Int
        let close: [UInt8]
        if b[i] == 0x3C {
            (j, close) = (i + 1, [0x3E])
        } else if b[i] == 0x7B {
            (j, close) = (i + 1, [0x7D])
        } else if holds(b, escapedLess, at: i) {
            // `<…>` inside a JSON string that Go's encoder wrote (Docker's json-file: `\u003c…\u003e`).
            (j, close) = (i + escapedLess.count, escapedGreater)
        } else {
            guard i > 0, b[i - 1] == 0x5B else { return false }
            (j, close) = (i, [0x5D])
        }
        let nameStart = j
        let limit = min(b.count, j + 40)
        while j < limit, isHostByte(b[j]) || b[j] == 0x5F || b[j] == 0x20 { j += 1 }
        guard j < limit, j > nameStart, holds(b, close, at: j) else { return false }
        let after = j + close.count
        return after == b.count || b[after] == 0x2F || b[after] == 0x2E || b[after] == 0x3A || isWordEnd(b[after])
    }

    static let escapedLess: [UInt8] = Array("\\u003c".utf8)
    static let escapedGreater: [UInt8] = Array("\\u003e".utf8)

    /// Whether `literal` (lower case) stands in `b` at `i`, ignoring ASCII case.
    @inline(__always)
    static func holds(_ b: UnsafeRawBufferPointer, _ literal: [UInt8], at i: Int) -> Bool {
        guard i + literal.count <= b.count else { return false }
        for k in 0..<literal.count where foldASCII(b[i + k]) != literal[k] { return false }
        return true
    }

    static let slashByte: [UInt8] = [0x2F]
    static let credentialsForRegistry: [UInt8] = Array("credentials for container registry ".utf8)
    static let failedForRegistry: [UInt8] = Array("failed for container registry ".utf8)

    /// The registry that a platform's sentence names after `… for container registry `, for lines
    /// that name no ACR login server. The containerapp extension's failed credential look-up names it
    /// in newer versions (`Failed to retrieve credentials for container registry NAME.`); older ones
    /// end the sentence there (`… for container registry. Please provide …`): ACR, name unknown.
    /// Azure ML's `UserError` (`Authentication failed for container registry NAME`) names it by its
    /// ACR resource name; a word that a colon follows is no name (matcher 12). Either sentence naming
    /// a host (`… for container registry ghcr.io`, `docker.io`) is another registry's.
    static func sentenceRegistry(in b: UnsafeRawBufferPointer) -> RegistryContext? {
        if let (start, end) = nameAfter(credentialsForRegistry, in: b) {
            if end + 1 < b.count, b[end] == 0x2E, isHostByte(b[end + 1]) { return .other }
            return .acr(end < b.count && !isWordEnd(b[end]) && b[end] != 0x2E ? nil : normalise(b[start..<end]))
        }
        if let (start, end) = nameAfter(failedForRegistry, in: b) {
            if end + 1 < b.count, b[end] == 0x2E, isHostByte(b[end + 1]) { return .other }
            guard end > start, end == b.count || (b[end] != 0x3A && (isWordEnd(b[end]) || b[end] == 0x2E)) else {
                return nil
            }
            return normalise(b[start..<end]).map { .acr($0) }
        }
        return nil
    }

    /// The bounds of the name bytes right after the first `phrase` on the line, or nil without it.
    static func nameAfter(_ phrase: [UInt8], in b: UnsafeRawBufferPointer) -> (start: Int, end: Int)? {
        guard let at = b.firstIndex(of: phrase) else { return nil }
        let start = at + phrase.count
        var end = start
        while end < b.count, isNameByte(b[end]) { end += 1 }
        return (start, end)
    }

    static let libraryPath: [UInt8] = Array("library/".utf8)

    /// Whether the host that starts at `start` is the last part of `library/` (Docker Hub's namespace
    /// for images named without an owner): `…/library/myacr.azurecr.io` is a Docker Hub repository.
    static func isDockerHubLibraryPath(_ b: UnsafeRawBufferPointer, before start: Int) -> Bool {
        let n = libraryPath.count
        guard start >= n else { return false }
        for i in 0..<n where foldASCII(b[start - n + i]) != libraryPath[i] { return false }
        return start == n || !isNameByte(b[start - n - 1])
    }
    static let azureContainerRegistry: [UInt8] = Array("azure container registry".utf8)
    /// Where Docker and the kubelet write an image reference: Docker's refusal of a pull, kubelet's event.
    static let imageNameMarkers: [[UInt8]] = ["pull access denied for ", "image \"", "image \\\"", "image '"].map {
        Array($0.utf8)
    }

    /// Whether the host from `start` to `hostEnd` is an image reference of its own (after one of
    /// `imageNameMarkers`) with neither a repository nor a port and a repository after it.
    static func isBareImageName(_ b: UnsafeRawBufferPointer, start: Int, hostEnd: Int) -> Bool {
        if hostEnd < b.count, b[hostEnd] == 0x2F { return false }
        if hostEnd < b.count, b[hostEnd] == 0x3A {  // `:443/app` is a port; `:latest`, `:1.0` a tag
            var i = hostEnd + 1
            while i < b.count, b[i] &- 0x30 <= 9 { i += 1 }
            if i > hostEnd + 1, i < b.count, b[i] == 0x2F { return false }
        }
        return imageNameMarkers.contains { marker in
            start >= marker.count
                && (0..<marker.count).allSatisfy { foldASCII(b[start - marker.count + $0]) == marker[$0] }
        }
    }

    /// Registries on ACR that Microsoft runs as public registries (MCR's backing store): their
    /// failures are MCR's, not a customer registry's.
    static let publicRegistries: Set<String> = ["mcrprod"]

    static let foreignHosts: [[UInt8]] = [
        "docker.io", "ghcr.io", "quay.io", "mcr.microsoft.com", "gcr.io", "amazonaws.com", "pkg.dev",
        "registry.gitlab.com", "nvcr.io", "registry.k8s.io", "public.ecr.aws",
    ].map { Array($0.utf8) }

    /// `foreignHosts` searched together, ignoring case, in one pass (a folded search per host cost
    /// 11 passes over each fired line without a login server: Docker Hub's `pull access denied`).
    static let foreignHostSet = LiteralSet(foreignHosts.map { String(decoding: $0, as: UTF8.self) })

    /// Whether the line names a registry host other than ACR.
    static func namesForeignRegistry(_ b: UnsafeRawBufferPointer) -> Bool {
        foreignHostSet.firstMatch(in: b, from: 0) != nil
    }
}
