#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A stop that SIGINT (Ctrl-C) or SIGTERM requests, for commands that end cleanly by removing
/// their unfinished files (`kinema prepare`); a second signal ends the process at once. Trainers
/// use KinemaTrain's `TrainingInterrupt`, which saves a checkpoint instead.
enum StopSignal {
    private static let requested = Atomic<Bool>(false)

    static var isRequested: Bool { requested.load(ordering: .acquiring) }

    static func install() {
        _ = isRequested  // initialised here, never first inside the handler
        var stops = sigset_t()
        sigemptyset(&stops)
        for number in [SIGINT, SIGTERM] {
            signal(number) { number in
                if StopSignal.requested.exchange(true, ordering: .sequentiallyConsistent) { _exit(128 + number) }
                let message: StaticString = "\nkinema: stopping, removing unfinished files (interrupt again to quit at once)\n"
                _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
            }
            sigaddset(&stops, number)
        }
        // A command may inherit them blocked (a test runner's child, a daemon's).
        pthread_sigmask(SIG_UNBLOCK, &stops, nil)
    }
}
