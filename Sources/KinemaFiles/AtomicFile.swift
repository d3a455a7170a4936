#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Writes a file whole or not at all, as a program that keeps long runs must (checkpoints,
/// configs, reports): the bytes go to a new hidden file beside the target, created exclusively and
/// without following a symlink, are flushed to the disk (`fsync`), and the file is renamed over
/// the target, which replaces a symlink there instead of writing through it; then the folder is
/// flushed so the rename survives a power cut. Any failure (disk full, a file-size limit, a
/// read-only folder) removes the temporary file and leaves the target as it was. The folder must
/// exist (callers that own their output folder create it).
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws(AtomicFileError) {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw AtomicFileError(path: url.path, errno: errno, reason: "cannot create \(temporary)") }
        var failure: AtomicFileError?
        let written = data.withUnsafeBytes { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = AtomicFileError(path: url.path, errno: errno, reason: "writing failed after \(offset) of \(bytes.count) bytes")
                    return false
                }
                offset += n
            }
            return true
        }
        if written, fsync(descriptor) != 0 { failure = AtomicFileError(path: url.path, errno: errno, reason: "flushing to the disk failed") }
        if close(descriptor) != 0, failure == nil { failure = AtomicFileError(path: url.path, errno: errno, reason: "closing failed") }
        if failure == nil, rename(temporary, url.path) != 0 {
            failure = AtomicFileError(path: url.path, errno: errno, reason: "renaming the finished file onto it failed")
        }
        if let failure {
            unlink(temporary)
            throw failure
        }
        let folderDescriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            _ = fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }
}

/// A file ``AtomicFile`` could not write; the file at ``path`` is as it was before.
public struct AtomicFileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    /// The system's error number (ENOSPC, EFBIG, EACCES, …), when the system gave one.
    public let errno: Int32?
    public let reason: String

    init(path: String, errno: Int32?, reason: String) {
        self.path = path
        self.errno = errno
        self.reason = reason
    }

    /// What went wrong, in the system's words and with the usual cause.
    public var cause: String {
        guard let errno else { return reason }
        let system = String(cString: strerror(errno))
        switch errno {
        case ENOSPC, EDQUOT: return "\(reason): \(system) (the disk or quota is full: free space, or write elsewhere)"
        case EFBIG: return "\(reason): \(system) (larger than the file-size limit, `ulimit -f`, or the file system allows)"
        case EACCES, EPERM, EROFS: return "\(reason): \(system) (the folder is not writable)"
        case ENOENT, ENOTDIR: return "\(reason): \(system) (its folder does not exist)"
        default: return "\(reason): \(system)"
        }
    }

    public var description: String { "\(path): cannot be written: \(cause); the file there is unchanged" }
}
