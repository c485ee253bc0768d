extension PGReadTransaction {
    func contactCount() throws -> Int {
        let rows = try connection.query("SELECT count(*) FROM contacts", [])
        return Int(rows.int64(0, 0))
    }
}
