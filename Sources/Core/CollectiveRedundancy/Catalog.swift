import AnalysisKit

/// The report analyses this paper module registers with the renderer.
public enum CollectiveRedundancyCatalog {
    public static let analyses: [AnalysisDescriptor] = []
}
