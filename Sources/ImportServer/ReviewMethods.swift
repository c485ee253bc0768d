import JSONRPC

// import/review, import/rows, import/commit, import/history, import/status — owned by helper
// "review". See the checklist in Server.swift.
extension ImportServer {
    func registerReviewMethods(_ table: MethodTable) {
    }
}
