import AnalysisKit
import MyAnalyses
import PaperAnalyses
import ReplicateCLI

// `swift run -c release my-replicate render` (or check, accept, list, describe): this package's analyses added to
// the notebook's own.
ReplicateCLI.main(registry: AnalysisRegistry(paperAnalyses + myAnalyses), version: "my-replicate 0.1.0")
