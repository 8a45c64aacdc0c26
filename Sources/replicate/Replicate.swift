import ArgumentParser

/// Command-line entry point: render, check and accept replication reports.
@main
struct Replicate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render and check the paper-replication reports.",
        subcommands: [List.self])
}

/// Lists the registered analyses.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the analyses reports can run.")
    func run() throws {
        for name in allAnalyses.names { print("\(name)\t\(allAnalyses[name]!.summary)") }
    }
}
