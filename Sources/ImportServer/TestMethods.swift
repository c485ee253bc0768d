import FoundationEssentials
import JSONRPC
import Localization

/// `$/test/sleep {milliseconds, steps?}`: a slow, cancellable request with progress, enabled only
/// by the hidden `--enable-test-methods` flag. It exists so cancellation, progress and concurrent
/// dispatch can be tested (and recorded as transcripts) through the real binary before any real
/// method is slow enough to do it reliably. Result: `{slept: milliseconds}`.
/// `$/test/fail`: throws an error that is not a protocol error, i.e. a bug, to show it becomes
/// `-32603` with the detail logged on stderr and the server keeps serving.
extension ImportServer {
    struct SimulatedBug: Error, CustomStringConvertible {
        var description: String { "simulated bug from $/test/fail" }
    }

    func testFail(_ context: RequestContext) throws -> JSONValue { throw SimulatedBug() }

    func testSleep(_ context: RequestContext) throws -> JSONValue {
        let milliseconds = try context.params.optionalInt("milliseconds", in: 0...600_000) ?? 1000
        let steps = try context.params.optionalInt("steps", in: 1...10_000) ?? 10
        let progress = context.progress(title: LocalizedText(en: "Sleeping", es: "Durmiendo", pt: "Dormindo"))
        for step in 1...steps {
            try context.checkCancellation()
            if milliseconds >= steps { try context.pause(seconds: Double(milliseconds / steps) / 1000) }
            // The last step's news is the `end`, so a one-step sleep has no report and its
            // transcript does not depend on timing.
            if step < steps { progress.report(percentage: step * 100 / steps, message: "\(step) / \(steps)") }
        }
        progress.end(message: nil)
        return ["slept": .int(milliseconds)]
    }
}
