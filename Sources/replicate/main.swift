import ReplicateCLI

// The project's own command line: the shared CLI over every paper module's analyses (Registry.swift).
ReplicateCLI.main(registry: allAnalyses)
