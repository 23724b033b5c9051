import LogModel
import LogScanner

extension Report {
    /// The `schema` value of `renderJSON`.
    public static let jsonSchema = "acrscan.report/v3"

    /// The report as one JSON object on one line, ending with a newline; the schema is in
    /// docs/report.md. Keys come in a fixed order, times are ISO-8601 UTC strings, and strings
    /// from logs are kept as stored with every control character escaped.
    public func renderJSON() -> String {
        let members: [(String, JSONValue)] = [
            ("schema", .string(Report.jsonSchema)),
            (
                "window",
                .object([
                    ("since", .time(filter.since)),
                    ("until", .time(filter.until)),
                    ("bucket", .string(bucket.rawValue)),
                    ("first_bucket", .time(buckets.first)),
                    ("last_bucket", .time(buckets.last)),
                ])
            ),
            (
                "filter",
                .object([
                    ("registry", .list(filter.registries)),
                    ("type", .list(filter.types.map(\.rawValue))),
                    ("host", .list(filter.hosts)),
                ])
            ),
            ("by", .array(keys.map { .string($0.rawValue) })),
            ("sort", .string(order.rawValue)),
            ("total", .int(total)),
            ("attempts", .int(totalAttempts)),
            ("previous_total", .count(previousTotal)),
            ("groups", .array(groups.map(jsonGroup))),
            ("omitted_groups", .int(omittedGroups)),
            ("omitted_count", .int(omittedCount)),
            (
                "trend",
                .array(
                    trend.map { point in
                        .object([
                            ("bucket", .time(point.bucket)),
                            ("registry", .text(point.registry)),
                            ("type", .string(point.type.rawValue)),
                            ("count", .int(point.count)),
                        ])
                    })
            ),
            (
                "spike_rule",
                .object([
                    ("history", .int(spikeRule.history)),
                    ("minimum_history", .int(spikeRule.minimumHistory)),
                    ("minimum_rise", .int(spikeRule.minimumRise)),
                    ("threshold", .number(Display.number(spikeRule.threshold))),
                ])
            ),
            (
                "spikes",
                .array(
                    spikes.map { spike in
                        .object([
                            ("bucket", .time(spike.bucket)),
                            ("registry", .text(spike.registry)),
                            ("type", .string(spike.type.rawValue)),
                            ("count", .int(spike.count)),
                            ("baseline", .number(spike.baselineText)),
                            ("history", .int(spike.history)),
                            ("score", .number(spike.scoreText)),
                        ])
                    })
            ),
            (
                "new_pairs",
                newPairs.map { pairs in
                    .array(
                        pairs.map { .object([("registry", .text($0.registry)), ("type", .string($0.type.rawValue))]) })
                } ?? .null
            ),
            (
                "remediation",
                .array(
                    types.map { type in
                        let entry = Remediation.entry(for: type)
                        return .object([
                            ("type", .string(type.rawValue)),
                            ("title", .string(entry.title)),
                            ("explain", .string("acrscan explain \(type.rawValue)")),
                            ("reference", .string(entry.reference)),
                        ])
                    })
            ),
            ("selection", jsonSelection),
            ("unknown_candidates", jsonUnknowns),
        ]
        return JSONValue.object(members).rendered() + "\n"
    }

    /// One element of `groups`: the grouped-by dimensions beyond registry and type appear only
    /// when grouped by them.
    private func jsonGroup(_ group: GroupCount) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("registry", .text(group.registry)),
            ("type", .text(group.type?.rawValue)),
        ]
        for key in [GroupKey.host, .repository, .identity, .clientIP] where keys.contains(key) {
            members.append((key.rawValue, .text(group.key.text(of: key))))
        }
        if keys.contains(.day) || keys.contains(.hour) { members.append(("period", .time(group.period))) }
        members += [
            ("count", .int(group.count)),
            ("attempts", .int(group.attempts)),
            ("first_seen", .time(group.firstSeen)),
            ("last_seen", .time(group.lastSeen)),
            ("previous_count", .count(previousCount(for: group))),
            ("remediation", fix(for: group).map(Self.jsonFix) ?? .null),
        ]
        return .object(members)
    }

    /// A group's `remediation`: the fix filled in from its evidence.
    private static func jsonFix(_ fix: GroupFix) -> JSONValue {
        .object([
            ("title", .string(fix.title)),
            ("doc", .string(fix.doc)),
            (
                "evidence",
                .object(
                    fix.evidence.map { item in
                        (
                            item.kind,
                            .object([("values", .array(item.values.map(JSONValue.string))), ("more", .int(item.more))])
                        )
                    })
            ),
            ("notes", .array(fix.notes.map(JSONValue.string))),
            (
                "steps",
                .array(
                    fix.steps.map { step in
                        .object([
                            ("text", .string(step.text)), ("commands", .array(step.commands.map(JSONValue.string))),
                        ])
                    })
            ),
            ("commands", .array(fix.commands.map(JSONValue.string))),
        ])
    }
}
