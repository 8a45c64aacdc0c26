import Foundation

/// The Python that runs the peers: `$PEER_PYTHON` (set by `make bench` to the `make bench-peers` venv), else python3.
func peerPython() -> String { ProcessInfo.processInfo.environment["PEER_PYTHON"] ?? "python3" }

/// Runs a peer implementation's benchmark script with `$PEER_PYTHON` (default `python3`) and decodes its JSON line.
/// Returns nil, after printing why, when the peer's packages are not installed.
func runPeer(_ script: String, _ args: [String], environment extra: [String: String] = [:]) -> [String: Any]? {
    let python = peerPython()
    let p = Process(), out = Pipe(), err = Pipe()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [python, "bench/peers/\(script)"] + args
    p.standardOutput = out; p.standardError = err
    p.environment = ProcessInfo.processInfo.environment.merging(["TF_CPP_MIN_LOG_LEVEL": "3"].merging(extra) { $1 }) { $1 }
    do { try p.run() } catch { print("  peer \(script): cannot start \(python): \(error)"); return nil }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    guard p.terminationStatus == 0, let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
          let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
        print("  peer \(script) unavailable (set PEER_PYTHON to a Python with its packages; `make bench-peers` makes one): "
              + (errText.split(separator: "\n").last.map(String.init) ?? "exit \(p.terminationStatus)"))
        return nil
    }
    return json
}
