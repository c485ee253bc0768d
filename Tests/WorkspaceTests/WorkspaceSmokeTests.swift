import XCTest
@testable import Workspace

final class WorkspaceSmokeTests: XCTestCase {
    func testModuleLinks() {}
}
