import Foundation

/// Writes files atomically: a temporary file in the same folder, then a rename, so readers never see half a file.
public enum AtomicFile {
    /// `durable`: the temp file is flushed to disk (fsync) before the rename and the folder after it, so that even a
    /// crash of the machine leaves the old file or the whole new one (used for the values files, which are the
    /// reference; pages and figures can be re-rendered and skip the cost).
    public static func write(_ data: Data, to url: URL, durable: Bool = false) throws {
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UUID().uuidString).tmp")
        try data.write(to: tmp)
        if durable {
            guard sync(tmp.path) else {
                try? FileManager.default.removeItem(at: tmp)
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
        }
        if rename(tmp.path, url.path) != 0 {
            try? FileManager.default.removeItem(at: tmp)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        if durable { _ = sync(dir.path) }
    }

    /// fsync of a file or folder; false if it cannot be opened or flushed.
    private static func sync(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return fsync(fd) == 0
    }

    public static func write(_ text: String, to url: URL) throws { try write(Data(text.utf8), to: url) }

    /// Writes only when the content differs (keeps mtimes stable and avoids needless work).
    @discardableResult
    public static func writeIfChanged(_ data: Data, to url: URL) throws -> Bool {
        if let old = try? Data(contentsOf: url), old == data { return false }
        try write(data, to: url)
        return true
    }
}

/// The lock file of an output tree could not be opened or locked.
public struct OutputLockError: Error, CustomStringConvertible {
    public let description: String
}

/// An exclusive advisory lock (flock) on `<folder>/.render.lock`, held while a render writes into the tree: one
/// report's figures and page (`ReportRenderer.render`), or every page and the index (`renderAll`), or the index alone
/// (`writeIndex`). Two renders into one tree therefore take turns and the tree ends as one version of each page and
/// of the index; a second render says that it waits.
///
/// A lock file that cannot be opened (a folder that cannot be written, `.render.lock` being a folder, permissions) is
/// an error naming the file: running unlocked would drop the guarantee silently, and a page could not be written
/// there anyway. Only when the file system refuses `flock` itself (ENOLCK, ENOTSUP, ENOSYS: some network mounts)
/// does the body run unlocked, after a warning through `warn`: every file is still written atomically
/// (`AtomicFile`), only the one-version guarantee across files is lost, and refusing would make such trees
/// unusable.
public enum OutputLock {
    public static func withLock<T>(in folder: URL, warn: (String) -> Void = { _ in }, _ body: () throws -> T) throws -> T {
        try FileLock.withLock(folder.appendingPathComponent(".render.lock"), warn: warn, body)
    }
}

/// An exclusive advisory lock (flock) on a file, held while `body` runs (see `OutputLock` for the failure rules).
enum FileLock {
    static func withLock<T>(_ url: URL, warn: (String) -> Void = { _ in }, _ body: () throws -> T) throws -> T {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw OutputLockError(description: "cannot create the folder of the lock file \(url.path): \(error.localizedDescription)")
        }
        let fd = open(url.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw OutputLockError(description: "cannot open the lock file \(url.path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var waited = false
        while true {
            if flock(fd, waited ? LOCK_EX : LOCK_EX | LOCK_NB) == 0 { break }
            let e = errno
            if e == EINTR { continue }
            if e == EWOULDBLOCK && !waited {
                warn("waiting for another render that holds \(url.path)")
                waited = true; continue
            }
            if e == ENOLCK || e == ENOTSUP || e == EOPNOTSUPP || e == ENOSYS {
                warn("warning: the file system of \(url.path) does not support locks (\(String(cString: strerror(e)))): "
                     + "writing unlocked; each file is still written atomically, but two renders at once may leave pages of two versions")
                return try body()
            }
            throw OutputLockError(description: "cannot lock \(url.path): \(String(cString: strerror(e)))")
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}

/// Temp files that a killed writer left behind: `AtomicFile`'s `.<name>.<pid>.<uuid>.tmp` and `GnuplotFigure`'s
/// `.<id>.<pid>.<n>.svg.tmp` and `.<id>.<pid>.<n>.gp`, whose process (pid) is gone. A render removes them from the
/// folders it writes, under the output lock, so that a `kill -9` leaves nothing behind after the next render.
enum StaleTempFiles {
    /// The pid in a temp file's name, or nil if the name is not one of ours.
    static func owner(_ name: String) -> pid_t? {
        guard name.hasPrefix(".") else { return nil }
        let c = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        func pid(_ i: Int) -> pid_t? { i >= 1 && i < c.count ? pid_t(c[i]) : nil }
        if name.hasSuffix(".svg.tmp"), c.count >= 6, Int(c[c.count - 3]) != nil { return pid(c.count - 4) }
        if name.hasSuffix(".tmp"), c.count >= 5, UUID(uuidString: c[c.count - 2]) != nil { return pid(c.count - 3) }
        if name.hasSuffix(".gp"), c.count >= 5, Int(c[c.count - 2]) != nil { return pid(c.count - 3) }
        return nil
    }

    static func alive(_ pid: pid_t) -> Bool {
        pid == getpid() || kill(pid, 0) == 0 || errno == EPERM
    }

    /// Removes the stale temp files directly inside `folder`; returns their names.
    @discardableResult
    static func sweep(_ folder: URL) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        var removed = [String]()
        for n in names.sorted() {
            guard let p = owner(n), p > 0, !alive(p) else { continue }
            if (try? FileManager.default.removeItem(at: folder.appendingPathComponent(n))) != nil { removed.append(n) }
        }
        return removed
    }
}
