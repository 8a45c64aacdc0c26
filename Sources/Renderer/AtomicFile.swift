import Foundation

/// Writes files atomically: a temporary file in the same folder, then a rename, so readers never see half a file.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UUID().uuidString).tmp")
        try data.write(to: tmp)
        if rename(tmp.path, url.path) != 0 {
            try? FileManager.default.removeItem(at: tmp)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
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

/// An exclusive advisory lock (flock) on `<folder>/.render.lock`, held while one report's figures and page are
/// written, so two renders into one output tree cannot interleave versions of a page.
public enum OutputLock {
    public static func withLock<T>(in folder: URL, _ body: () throws -> T) throws -> T {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let fd = open(folder.appendingPathComponent(".render.lock").path, O_CREAT | O_RDWR, 0o644)
        guard fd >= 0 else { return try body() }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
