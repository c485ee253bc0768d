import XCTest
@testable import Contacts

final class ContactsSmokeTests: XCTestCase {
    func testModuleLinks() {}
}
