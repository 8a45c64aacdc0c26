import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on a project's output trees (site/, figures/, .cache/), held for a whole render, check or
/// accept, so two processes never interleave their writes into one tree (a second one waits, saying so).
public final class OutputLock {
    private let fd: Int32

    /// Takes the lock on `<root>/.cache/output.lock`, waiting for another process that holds it.
    public init(project: ReportProject, log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) throws {
        let folder = project.cacheFolder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("output.lock").path
        fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            log("waiting for another replicate process that is writing to \(project.root.path) …")
            guard flock(fd, LOCK_EX) == 0 else { close(fd); throw CocoaError(.fileLocking, userInfo: [NSFilePathErrorKey: path]) }
        }
    }

    deinit { flock(fd, LOCK_UN); close(fd) }
}
