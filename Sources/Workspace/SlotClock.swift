import Dispatch
import FoundationEssentials

/// When a job starts: the moment its claim took the slot, on the caller's clock. A claim may
/// wait (for the claim gate, for a connection to the server) after the caller read its clock;
/// a job stamped with that earlier time could seem to begin before the job it waited for had
/// ended. The caller's clock (which tests may shift) is kept, moved on by the time the claim took.
struct SlotClock {
    private let started = DispatchTime.now()

    func taken(_ asked: Date) -> Date {
        asked.addingTimeInterval(Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9)
    }
}
