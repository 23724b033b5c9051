import ArgumentParser
import LogIngest
import LogModel
import LogReport
import LogScanner
import LogStore

/// `--fail-on TYPES`: the types a gate watches.
enum GateOption {
    /// `any`, or a comma-separated list of types; `any` is the empty list (every type).
    static func parse(_ text: String) throws -> [ErrorType] {
        if text.lowercased() == "any" { return [] }
        return try FilterOptions.parse(text) { () throws(FilterArgumentError) in try FilterArgument.types(text) }
    }

    /// Names each group that tripped the gate on standard error.
    static func warn(_ trips: [GateTrip], what: String) {
        for trip in trips {
            Terminal.error(
                "gate: \(what) \(trip.count) \(trip.type.rawValue) failure\(trip.count == 1 ? "" : "s") of \(trip.registry ?? "(unknown)"): \(trip.reason) (acknowledge with 'acrscan ack --registry \(trip.registry ?? "unknown") --type \(trip.type.rawValue)')"
            )
        }
    }
}

/// `acrscan ack`: acknowledges a known failure group, so that the gate (`--fail-on`) ignores it
/// until it grows or changes.
struct AckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract:
            "Acknowledge a known failure group (registry, type) so that --fail-on ignores it until it grows or changes.",
        discussion: """
            The acknowledgement keeps the group's count in the last scan that stored any of it, and every identity, client IP \
            and repository stored in it. The gate trips again when a later selection holds more occurrences of the group than \
            that count, or a value the acknowledgement did not know.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(
        name: .customLong("registry"), parsing: .singleValue,
        help: ArgumentHelp(
            "Registries (names or login servers, comma-separated or repeated; 'unknown' for unknown).", valueName: "R"),
        transform: { text in
            try FilterOptions.parse(text) { () throws(FilterArgumentError) in try FilterArgument.registries(text) }
        })
    var registries: [[String]] = []

    @Option(
        name: .customLong("type"), parsing: .singleValue,
        help: ArgumentHelp("Error types, comma-separated or repeated.", valueName: "T"),
        transform: { text in
            try FilterOptions.parse(text) { () throws(FilterArgumentError) in try FilterArgument.types(text) }
        })
    var types: [[ErrorType]] = []

    @Flag(help: "List the acknowledgements.")
    var list = false

    @Flag(help: "Remove the acknowledgements of the given groups.")
    var remove = false

    func validate() throws {
        if list, remove { throw ValidationError("--list and --remove: give one of them") }
        if list, !registries.isEmpty || !types.isEmpty { throw ValidationError("--list takes no --registry or --type") }
        if !list, registries.isEmpty || types.isEmpty {
            throw ValidationError("give --registry and --type of the group to acknowledge (or --list)")
        }
    }

    func run() throws {
        if list {
            let store = try database.open(readOnly: true)
            let acks: [Acknowledgement]
            do throws(StoreError) { acks = try store.acknowledgements() } catch { throw Failure.database(error) }
            if acks.isEmpty {
                Terminal.writeStdout("no acknowledgements\n")
                return
            }
            var text = "registry\ttype\tcount\tscan\tacknowledged\tknown values\n"
            for ack in acks {
                text +=
                    "\(ack.registry.isEmpty ? "(unknown)" : ack.registry)\t\(ack.type.rawValue)\t\(ack.count)\t\(ack.scan.map(String.init) ?? "-")\t\(Timestamp.iso(ack.created))\t\(ack.values)\n"
            }
            Terminal.writeStdout(Escape.terminal(text))
            return
        }
        let store = try database.openForWriting()
        defer { store.close() }
        var missing: [String] = []
        do throws(StoreError) {
            for registry in registries.flatMap({ $0 }).uniqued() {
                for type in types.flatMap({ $0 }).uniqued() {
                    let name = registry.isEmpty ? "(unknown)" : registry
                    if remove {
                        if try store.removeAcknowledgement(registry: registry, type: type) {
                            Terminal.writeStdout("removed the acknowledgement of \(name) \(type.rawValue)\n")
                        } else {
                            missing.append("\(name) \(type.rawValue): no acknowledgement to remove")
                        }
                    } else if let ack = try store.acknowledge(registry: registry, type: type, now: Timestamp.now()) {
                        Terminal.writeStdout(
                            "acknowledged \(name) \(type.rawValue): \(ack.count) occurrence\(ack.count == 1 ? "" : "s") in scan \(ack.scan.map(String.init) ?? "-"), \(ack.values) known identit\(ack.values == 1 ? "y" : "ies"), client IPs and repositories\n"
                        )
                    } else {
                        missing.append(
                            "\(name) \(type.rawValue): nothing of this group is stored; nothing to acknowledge")
                    }
                }
            }
        } catch {
            throw Failure.database(error)
        }
        if !missing.isEmpty { throw Failure.usage(missing.joined(separator: "\n")) }
    }
}

extension Array where Element: Hashable {
    /// The elements without repeats, in first-seen order.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
