import AnalysisKit
import MyAnalyses
import ReplicateCLI

// `swift run -c release my-replicate render` (or check, accept, list, describe) over this package's analyses.
ReplicateCLI.main(registry: AnalysisRegistry(myAnalyses), version: "my-replicate 0.1.0")
