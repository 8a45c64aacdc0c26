import AnalysisKit
import PaperAnalyses
import ReplicateCLI

// The project's own command line: the shared CLI over the analyses of every paper module.
ReplicateCLI.main(registry: AnalysisRegistry(paperAnalyses), codeComponents: paperCodeComponents)
