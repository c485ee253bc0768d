import XCTest
@testable import JSONRPC

final class JSONRPCSmokeTests: XCTestCase {
    func testModuleLinks() {}
}
