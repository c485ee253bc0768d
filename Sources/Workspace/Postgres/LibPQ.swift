#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibPQ

/// The libpq functions the PostgreSQL store calls, looked up when the first PostgreSQL
/// workspace is opened rather than linked: a daemon on a SQLite workspace then never maps
/// libpq and the twenty-odd libraries it brings (TLS, Kerberos, LDAP), about 5 MB of its
/// resident memory. The header still gives the types and constants.
struct LibPQ: @unchecked Sendable {
    typealias Connection = OpaquePointer
    typealias Result = OpaquePointer

    let PQconnectdb: (@convention(c) (UnsafePointer<CChar>?) -> Connection?)!
    let PQfinish: (@convention(c) (Connection?) -> Void)!
    let PQstatus: (@convention(c) (Connection?) -> ConnStatusType)!
    let PQtransactionStatus: (@convention(c) (Connection?) -> PGTransactionStatusType)!
    let PQsetNoticeProcessor: (@convention(c) (Connection?, PQnoticeProcessor?, UnsafeMutableRawPointer?) -> PQnoticeProcessor?)!
    let PQhost: (@convention(c) (Connection?) -> UnsafeMutablePointer<CChar>?)!
    let PQport: (@convention(c) (Connection?) -> UnsafeMutablePointer<CChar>?)!
    let PQdb: (@convention(c) (Connection?) -> UnsafeMutablePointer<CChar>?)!
    let PQerrorMessage: (@convention(c) (Connection?) -> UnsafeMutablePointer<CChar>?)!
    let PQexec: (@convention(c) (Connection?, UnsafePointer<CChar>?) -> Result?)!
    let PQexecParams: (@convention(c) (Connection?, UnsafePointer<CChar>?, Int32, UnsafePointer<Oid>?,
                                      UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?,
                                      UnsafePointer<Int32>?, Int32) -> Result?)!
    let PQresultStatus: (@convention(c) (Result?) -> ExecStatusType)!
    let PQresultErrorField: (@convention(c) (Result?, Int32) -> UnsafeMutablePointer<CChar>?)!
    let PQclear: (@convention(c) (Result?) -> Void)!
    let PQntuples: (@convention(c) (Result?) -> Int32)!
    let PQcmdTuples: (@convention(c) (Result?) -> UnsafeMutablePointer<CChar>?)!
    let PQgetisnull: (@convention(c) (Result?, Int32, Int32) -> Int32)!
    let PQgetvalue: (@convention(c) (Result?, Int32, Int32) -> UnsafeMutablePointer<CChar>?)!
    let PQunescapeBytea: (@convention(c) (UnsafePointer<UInt8>?, UnsafeMutablePointer<Int>?) -> UnsafeMutablePointer<UInt8>?)!
    let PQfreemem: (@convention(c) (UnsafeMutableRawPointer?) -> Void)!
    let PQputCopyData: (@convention(c) (Connection?, UnsafePointer<CChar>?, Int32) -> Int32)!
    let PQputCopyEnd: (@convention(c) (Connection?, UnsafePointer<CChar>?) -> Int32)!
    let PQgetResult: (@convention(c) (Connection?) -> Result?)!
    let PQconninfoParse: (@convention(c) (UnsafePointer<CChar>?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> UnsafeMutablePointer<PQconninfoOption>?)!
    let PQconninfoFree: (@convention(c) (UnsafeMutablePointer<PQconninfoOption>?) -> Void)!

    /// Why the library cannot be used: not installed (Debian's `libpq5`), or too old.
    struct Unavailable: Error {
        let reason: String
    }

    /// Opened once, on first use, for the life of the process.
    static let shared: Swift.Result<LibPQ, Unavailable> = open()

    #if canImport(Darwin)
    static let installedNames = ["libpq.5.dylib", "libpq.dylib"]
    #else
    static let installedNames = ["libpq.so.5", "libpq.so"]
    #endif

    /// `CONTACT_IMPORT_LIBPQ` names the library to open instead (a path, for a libpq installed
    /// outside the loader's search path).
    static var libraryNames: [String] {
        guard let named = getenv("CONTACT_IMPORT_LIBPQ"), named.pointee != 0 else { return installedNames }
        return [String(cString: named)]
    }

    /// The first of `names` that opens, with every function the store calls.
    static func open(names: [String] = libraryNames) -> Swift.Result<LibPQ, Unavailable> {
        var failure = ""
        for name in names {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
                if failure.isEmpty, let message = dlerror() { failure = String(cString: message) }
                continue
            }
            let loader = Loader(handle)
            let library = LibPQ(loader)
            if loader.missing.isEmpty { return .success(library) }
            dlclose(handle)
            return .failure(Unavailable(reason: "\(name) lacks \(loader.missing.joined(separator: ", "))"))
        }
        return .failure(Unavailable(reason: "the PostgreSQL client library (libpq, Debian package libpq5) cannot be loaded: \(failure)"))
    }

    private init(_ load: Loader) {
        PQconnectdb = load("PQconnectdb")
        PQfinish = load("PQfinish")
        PQstatus = load("PQstatus")
        PQtransactionStatus = load("PQtransactionStatus")
        PQsetNoticeProcessor = load("PQsetNoticeProcessor")
        PQhost = load("PQhost")
        PQport = load("PQport")
        PQdb = load("PQdb")
        PQerrorMessage = load("PQerrorMessage")
        PQexec = load("PQexec")
        PQexecParams = load("PQexecParams")
        PQresultStatus = load("PQresultStatus")
        PQresultErrorField = load("PQresultErrorField")
        PQclear = load("PQclear")
        PQntuples = load("PQntuples")
        PQcmdTuples = load("PQcmdTuples")
        PQgetisnull = load("PQgetisnull")
        PQgetvalue = load("PQgetvalue")
        PQunescapeBytea = load("PQunescapeBytea")
        PQfreemem = load("PQfreemem")
        PQputCopyData = load("PQputCopyData")
        PQputCopyEnd = load("PQputCopyEnd")
        PQgetResult = load("PQgetResult")
        PQconninfoParse = load("PQconninfoParse")
        PQconninfoFree = load("PQconninfoFree")
    }

    private final class Loader {
        let handle: UnsafeMutableRawPointer
        var missing: [String] = []
        init(_ handle: UnsafeMutableRawPointer) { self.handle = handle }
        func callAsFunction<Function>(_ name: String) -> Function? {
            guard let address = dlsym(handle, name) else {
                missing.append(name)
                return nil
            }
            return unsafeBitCast(address, to: Function.self)
        }
    }
}
