import AnalysisKit

/// The report analyses this paper module registers with the renderer.
public enum CollectiveRedundancyCatalog {
    public static let analyses: [AnalysisDescriptor] = [
        ModelAnalysis.descriptor, CohesionAnalysis.descriptor, ReplicateAnalysis.descriptor, SearchAnalysis.descriptor, Fig2Analysis.descriptor, Fig3Analysis.descriptor, Fig4Analysis.descriptor, Fig5Analysis.descriptor, FishNullAnalysis.descriptor,
        CompressAnalysis.descriptor,
    ]
}
