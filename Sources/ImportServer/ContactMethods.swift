import JSONRPC

// fields/*, contacts/* — owned by helper "workspace". See the checklist in Server.swift.
extension ImportServer {
    func registerContactMethods(_ table: MethodTable) {
    }
}
