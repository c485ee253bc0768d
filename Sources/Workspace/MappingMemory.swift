import FoundationEssentials

/// How a file's columns were mapped at the last completed import of the same header set (or of
/// a single header): the user's own choices, which `import/suggestMapping` offers again.
public struct RememberedMapping: Sendable, Hashable {
    public struct Column: Sendable, Hashable {
        /// A field key, or nil when the column was skipped.
        public let field: String?
        public let overwrite: Bool
        public init(field: String?, overwrite: Bool) {
            self.field = field
            self.overwrite = overwrite
        }
    }

    /// By column index.
    public let columns: [Column]
    public let purpose: String?
    public let identifier: String?
    public let defaultCountry: String?

    public init(columns: [Column], purpose: String?, identifier: String?, defaultCountry: String?) {
        self.columns = columns
        self.purpose = purpose
        self.identifier = identifier
        self.defaultCountry = defaultCountry
    }

    static func headerSet(_ headerKeys: [String]) -> String { headerKeys.joined(separator: "\u{1F}") }

    var encodedColumns: String {
        columns.map { "\($0.field ?? "")\t\($0.overwrite ? 1 : 0)" }.joined(separator: "\n")
    }

    static func decodeColumns(_ text: String) -> [Column] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            let field = parts.first.map(String.init) ?? ""
            return Column(field: field.isEmpty ? nil : field, overwrite: parts.count < 2 || parts[1] != "0")
        }
    }
}

extension ReadTransaction {
    /// The mapping of the last completed import of exactly this header set, if any.
    public func rememberedMapping(headerKeys: [String]) throws -> RememberedMapping? {
        let query = try statement("SELECT columns, purpose, identifier, default_country FROM remembered_header_sets WHERE header_set = :header_set")
        try query.bind(":header_set", RememberedMapping.headerSet(headerKeys))
        defer { query.reset() }
        guard try query.step() else { return nil }
        let columns = RememberedMapping.decodeColumns(query.string(0) ?? "")
        guard columns.count == headerKeys.count else { return nil }
        return RememberedMapping(columns: columns, purpose: query.string(1), identifier: query.string(2),
                                 defaultCountry: query.string(3))
    }

    /// How each of these headers was last mapped, in any file.
    public func rememberedHeaders(_ headerKeys: [String]) throws -> [String: RememberedMapping.Column] {
        let query = try statement("SELECT field, overwrite FROM remembered_headers WHERE header_key = :header_key")
        var result: [String: RememberedMapping.Column] = [:]
        for key in Set(headerKeys) where !key.isEmpty {
            try query.bind(":header_key", key)
            if try query.step() {
                let field = query.string(0)
                result[key] = RememberedMapping.Column(field: field?.isEmpty == false ? field : nil, overwrite: query.int(1) != 0)
            }
            query.reset()
        }
        return result
    }
}

extension WriteTransaction {
    /// Remembers a completed import's mapping, for its header set and for each header. Written
    /// in the import's own transaction, so a cancelled or failed import remembers nothing.
    public func rememberMapping(headerKeys: [String], _ mapping: RememberedMapping, now: Date) throws {
        let set = try statement("""
            INSERT OR REPLACE INTO remembered_header_sets (header_set, columns, purpose, identifier, default_country, remembered_at) \
            VALUES (:header_set, :columns, :purpose, :identifier, :default_country, :remembered_at)
            """)
        try set.bind(":header_set", RememberedMapping.headerSet(headerKeys))
        try set.bind(":columns", mapping.encodedColumns)
        try set.bind(":purpose", mapping.purpose)
        try set.bind(":identifier", mapping.identifier)
        try set.bind(":default_country", mapping.defaultCountry)
        try set.bind(":remembered_at", now)
        try set.run()
        let header = try statement("INSERT OR REPLACE INTO remembered_headers (header_key, field, overwrite, remembered_at) VALUES (:header_key, :field, :overwrite, :remembered_at)")
        for (key, column) in zip(headerKeys, mapping.columns) where !key.isEmpty {
            try header.bind(":header_key", key)
            try header.bind(":field", column.field ?? "")
            try header.bind(":overwrite", column.overwrite)
            try header.bind(":remembered_at", now)
            try header.run()
        }
    }
}
