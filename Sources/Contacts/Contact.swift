import FoundationEssentials

/// A stored contact. Values are in canonical form and keyed by field key: the built-in keys
/// (`firstName`, `phone`...) and custom field names. An absent key means the field is empty.
public struct Contact: Sendable, Hashable {
    public var id: Int64
    public var values: [String: String]
    public var tags: [String]
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: Int64, values: [String: String], tags: [String], createdAt: Date, updatedAt: Date) {
        self.id = id
        self.values = values
        self.tags = tags
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
