import JSONRPC

// import/open, import/suggestMapping, import/close, session expiry — owned by helper "mapping".
// See the checklist in Server.swift.
extension ImportServer {
    func registerOpenMethods(_ table: MethodTable) {
    }
}
