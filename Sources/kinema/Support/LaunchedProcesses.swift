import Foundation
import KinemaTrain

#if canImport(Glibc)
import Glibc
#endif

/// The rank processes `kinema launch` starts: this executable again, once per rank, in a process
/// group of their own, so a terminal's Ctrl-C reaches the launcher alone and each rank gets the
/// signal exactly once (a second one makes a rank exit without saving, as in a single process).
final class LaunchedProcesses {
    struct Failure {
        let rank: Int
        let status: Int32
        let description: String
    }

    private let pids: [pid_t]
    private let firstRank: Int

    /// Starts `command` once per environment; the process with RANK=0 keeps standard output,
    /// the others write theirs to /dev/null (errors still reach standard error).
    init(command: [String], environments: [[String: String]], firstRank: Int) throws {
        self.firstRank = firstRank
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        LaunchSignals.install()
        var started: [pid_t] = []
        for (index, environment) in environments.enumerated() {
            do {
                started.append(
                    try Self.spawn(
                        executable, arguments: [executable] + command, environment: environment,
                        group: started.first ?? 0, quiet: firstRank + index != 0))
            } catch {
                for pid in started { kill(pid, SIGKILL) }
                throw error
            }
        }
        pids = started
    }

    /// Waits for every rank. Signals the launcher receives go to every running rank. When a rank
    /// fails, the others get SIGTERM (they save and stop, or fail in their next collective) and,
    /// after `grace` seconds, SIGKILL. Returns the first failure, or nil when all succeeded.
    func wait(grace: Double) -> Failure? {
        var running = Set(pids.indices)
        var failure: Failure?
        var killAt: Date?
        while !running.isEmpty {
            if let signal = LaunchSignals.take() {
                for index in running { kill(pids[index], signal) }
            }
            for index in running {
                var status: Int32 = 0
                guard waitpid(pids[index], &status, WNOHANG) == pids[index] else { continue }
                running.remove(index)
                let (code, text) = Self.decode(status)
                guard code != 0, failure == nil else { continue }
                failure = Failure(rank: firstRank + index, status: code, description: text)
                for other in running { kill(pids[other], SIGTERM) }
                killAt = Date().addingTimeInterval(grace)
            }
            if let deadline = killAt, Date() > deadline {
                for index in running { kill(pids[index], SIGKILL) }
                killAt = nil
            }
            usleep(50_000)
        }
        return failure
    }

    private static func spawn(
        _ executable: String, arguments: [String], environment: [String: String], group: pid_t, quiet: Bool
    ) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A rank must see SIGINT and SIGTERM whatever its parent blocked (test runners, daemons).
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, group)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if quiet { posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0) }

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw TrainingRunError("launch: cannot start \(executable): \(String(cString: strerror(status)))")
        }
        return pid
    }

    /// waitpid's status as an exit code (128 + N for signal N, as shells report it) and words.
    private static func decode(_ status: Int32) -> (Int32, String) {
        let signal = status & 0x7f
        if signal == 0 {
            let code = (status >> 8) & 0xff
            return (code, "exited with status \(code)")
        }
        return (128 + signal, "was killed by signal \(signal)")
    }
}

/// SIGINT and SIGTERM received by the launcher, to forward (a signal handler may only store).
private enum LaunchSignals {
    nonisolated(unsafe) private static var pending: sig_atomic_t = 0

    static func install() {
        var stops = sigset_t()
        sigemptyset(&stops)
        for number in [SIGINT, SIGTERM] {
            signal(number) { received in LaunchSignals.pending = sig_atomic_t(received) }
            sigaddset(&stops, number)
        }
        // The launcher may inherit them blocked (a test runner's child, a daemon's).
        pthread_sigmask(SIG_UNBLOCK, &stops, nil)
    }

    static func take() -> Int32? {
        let value = pending
        guard value != 0 else { return nil }
        pending = 0
        return Int32(value)
    }
}
