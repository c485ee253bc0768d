import JSONRPC

/// Every method the daemon answers, in one table. A handler reads its params, calls one
/// function of `Importer` (or the workspace), and shapes the result; its body lives in the
/// area file named on the right. Every handler runs on the connection's request queue (Dispatch
/// threads), so one that reads the disk or waits on SQLite never holds up another request.
extension ImportServer {
    func registerMethods() {
        table.setGate { [self] method, isRequest, locale in gate(method, isRequest: isRequest, locale: locale) }
        let review = ReviewMethods(server: self)

        // Lifecycle.swift
        table.request("initialize", execution: .exclusive) { [self] in try initialize($0) }
        table.notification("initialized") { [self] in initialized($0) }
        table.request("shutdown", execution: .exclusive) { [self] in shutdown($0) }
        table.notification("exit") { [self] in exit($0) }
        // ContactMethods.swift
        table.request("fields/list") { [self] in try fieldsList($0) }
        table.request("fields/create") { [self] in try fieldsCreate($0) }
        table.request("contacts/get") { [self] in try contactsGet($0) }
        table.request("contacts/find") { [self] in try contactsFind($0) }
        table.request("contacts/create") { [self] in try contactsCreate($0) }
        table.request("contacts/update") { [self] in try contactsUpdate($0) }
        table.request("contacts/addTags") { [self] in try contactsChangeTags($0, adding: true) }
        table.request("contacts/deleteTags") { [self] in try contactsChangeTags($0, adding: false) }
        // OpenMethods.swift
        table.request("import/open") { [self] in try importOpen($0) }
        table.request("import/suggestMapping") { [self] in try importSuggestMapping($0) }
        table.request("import/close") { [self] in try importClose($0) }
        // ReviewMethods.swift
        table.request("import/review") { try review.review($0) }
        table.request("import/rows") { try review.rows($0) }
        table.request("import/commit") { try review.commit($0) }
        table.request("import/undo") { try review.undo($0) }
        table.request("import/history") { try review.history($0) }
        table.request("import/status") { try review.status($0) }
        // TestMethods.swift, ContactMethods.swift: hidden `--enable-test-methods` only.
        if configuration.enableTestMethods {
            table.request("$/test/sleep") { [self] in try testSleep($0) }
            table.request("$/test/fail") { [self] in try testFail($0) }
            table.request("$/test/holdWrite") { [self] in try testHoldWrite($0) }
        }
    }
}
