#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A request to stop training cleanly: the loop polls ``isRequested`` between steps, saves a
/// checkpoint and returns, so Ctrl-C never loses work (docs/architecture-notes.md,
/// "Long jobs never lose work").
///
/// ``signals`` is the process-wide request that SIGINT (Ctrl-C) and SIGTERM (`kill`, cluster
/// schedulers) set while ``installSignalHandlers()`` is in effect; a *second* signal exits at once
/// (status 128 + signal, like a shell), for when saving itself hangs. Other instances are set only
/// by ``request()`` (tests, a stop file, a time budget).
///
/// ```swift
/// TrainingInterrupt.installSignalHandlers()
/// defer { TrainingInterrupt.uninstallSignalHandlers() }
/// for step in start..<steps {
///     if TrainingInterrupt.signals.isRequested { try save(step); break }
///     try trainStep(step)
/// }
/// ```
///
/// ``TrainingRun/train(steps:state:interrupt:body:)`` does all of this for a trainer.
public final class TrainingInterrupt: Sendable {
    private let requests = Atomic<Int>(0)
    private let signalsReceived = Atomic<Int>(0)
    private let lastSignal = Atomic<Int32>(0)

    /// A request that only ``request()`` sets.
    public init() {}

    /// Whether a stop has been requested.
    public var isRequested: Bool { requests.load(ordering: .acquiring) > 0 }

    /// The signal that requested the stop (`SIGINT`, `SIGTERM`), or nil when none did.
    public var signal: Int32? {
        let number = lastSignal.load(ordering: .acquiring)
        return number == 0 ? nil : number
    }

    /// Requests a stop (thread-safe).
    public func request() {
        requests.add(1, ordering: .releasing)
    }

    /// The request that SIGINT and SIGTERM set while the handlers are installed.
    public static let signals = TrainingInterrupt()

    /// The signals that request a stop.
    public static let handledSignals: [Int32] = [SIGINT, SIGTERM]

    /// What the first signal prints: how the stop will end (a trainer saves a checkpoint,
    /// `kinema prepare` removes its unfinished files). Set before the handlers, read only in them.
    nonisolated(unsafe) private static var announcement: StaticString = ""

    /// Routes SIGINT and SIGTERM to ``signals`` (cleared first), remembering the previous
    /// handlers for ``uninstallSignalHandlers()``; the first signal prints `announcement`.
    /// Installing twice keeps the first saved handlers. The signals are unblocked on this thread:
    /// a command may inherit them blocked (a test runner's child, a daemon's).
    public static func installSignalHandlers(
        announcing message: StaticString =
            "\nkinema: stopping after this step to save a checkpoint (interrupt again to quit at once)\n"
    ) {
        announcement = message
        let interrupt = signals  // initialised here, never first inside the handler
        interrupt.requests.store(0, ordering: .sequentiallyConsistent)
        interrupt.signalsReceived.store(0, ordering: .sequentiallyConsistent)
        interrupt.lastSignal.store(0, ordering: .sequentiallyConsistent)
        savedHandlers.withLock { saved in
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = handleStopSignal
            #else
            action.__sigaction_u.__sa_handler = handleStopSignal
            #endif
            sigemptyset(&action.sa_mask)
            // Restart interrupted system calls (file reads in data loading) instead of failing them.
            action.sa_flags = SA_RESTART
            var unblocked = sigset_t()
            sigemptyset(&unblocked)
            for number in handledSignals {
                var previous = sigaction()
                sigaction(number, &action, &previous)
                if saved[number] == nil { saved[number] = SavedHandler(action: previous) }
                sigaddset(&unblocked, number)
            }
            pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
        }
    }

    /// Restores the handlers that were in place before ``installSignalHandlers()`` (the default,
    /// which ends the process, in a command-line run). Does nothing when none are installed.
    public static func uninstallSignalHandlers() {
        savedHandlers.withLock { saved in
            for (number, handler) in saved {
                var action = handler.action
                sigaction(number, &action, nil)
            }
            saved = [:]
        }
    }

    /// What a signal handler does (async-signal-safe: atomics, `write` and `_exit` only).
    fileprivate func receive(_ number: Int32) {
        lastSignal.store(number, ordering: .releasing)
        requests.add(1, ordering: .releasing)
        if signalsReceived.add(1, ordering: .sequentiallyConsistent).oldValue > 0 {
            writeToStandardError("\nkinema: second interrupt, exiting without saving\n")
            _exit(128 + number)
        }
        writeToStandardError(Self.announcement)
    }

    private struct SavedHandler: @unchecked Sendable {
        var action: sigaction
    }

    private static let savedHandlers = Mutex<[Int32: SavedHandler]>([:])
}

private func handleStopSignal(_ number: Int32) {
    TrainingInterrupt.signals.receive(number)
}

/// `write(2)` of a literal: no allocation, so safe inside a signal handler.
private func writeToStandardError(_ message: StaticString) {
    _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
}
