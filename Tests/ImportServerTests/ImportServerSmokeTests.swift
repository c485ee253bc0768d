import XCTest
@testable import ImportServer

final class ImportServerSmokeTests: XCTestCase {
    func testModuleLinks() {}
}
