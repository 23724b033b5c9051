/// The distinct values of one kind that a group's occurrences named: the most frequent first, at
/// most the limit asked for, and how many distinct values there were in all.
public struct EvidenceValues: Sendable, Equatable {
    /// The values, most occurrences first, then by text.
    public var values: [String]
    /// How many distinct values the group named (at least `values.count`).
    public var distinct: Int

    /// Values and their distinct count (`distinct` defaults to `values.count`).
    public init(_ values: [String] = [], distinct: Int? = nil) {
        self.values = values
        self.distinct = max(distinct ?? values.count, values.count)
    }

    /// How many distinct values are not in `values`.
    public var more: Int { distinct - values.count }

    /// Whether the group named no value of this kind.
    public var isEmpty: Bool { distinct == 0 }
}

/// What the stored occurrences of one report group named besides its keys: registries, refused
/// client IPs, identities (object or app ids), repositories and AADSTS or check-health codes.
///
/// The key fields (`registry` … `period`) identify the group as `Store.groups` returns it, nil
/// where not grouped by that key. A kind that is itself a grouping key is left empty: the group's
/// own value says it.
@dynamicMemberLookup
public struct GroupEvidence: Sendable, Equatable {
    /// The group's keys.
    public var key: GroupKeyValues

    /// Registry names (only when not grouped by registry).
    public var registries: EvidenceValues
    /// Client addresses a firewall refused.
    public var clientIPs: EvidenceValues
    /// Identities, object ids or application ids.
    public var identities: EvidenceValues
    /// Repositories.
    public var repositories: EvidenceValues
    /// AADSTS or `az acr check-health` codes.
    public var codes: EvidenceValues

    /// Evidence for the group with these keys; kinds not given are empty.
    public init(
        registry: String? = nil, type: ErrorType? = nil, host: String? = nil, repository: String? = nil,
        identity: String? = nil, clientIP: String? = nil, period: Int64? = nil,
        registries: EvidenceValues = EvidenceValues(), clientIPs: EvidenceValues = EvidenceValues(),
        identities: EvidenceValues = EvidenceValues(), repositories: EvidenceValues = EvidenceValues(),
        codes: EvidenceValues = EvidenceValues()
    ) {
        key = GroupKeyValues(
            registry: registry, type: type, host: host, repository: repository, identity: identity,
            clientIP: clientIP, period: period)
        self.registries = registries
        self.clientIPs = clientIPs
        self.identities = identities
        self.repositories = repositories
        self.codes = codes
    }

    /// Evidence for the group `key`, every kind empty.
    public init(key: GroupKeyValues) {
        self.init()
        self.key = key
    }

    /// A key of the group, by name (`evidence.registry`).
    public subscript<Value>(dynamicMember path: WritableKeyPath<GroupKeyValues, Value>) -> Value {
        get { key[keyPath: path] }
        set { key[keyPath: path] = newValue }
    }
}
