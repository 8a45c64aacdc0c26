import AnalysisKit

/// The report analyses this paper module registers with the renderer.
public enum RINECatalog {
    public static let analyses: [AnalysisDescriptor] = [RINEAnalyses.canonical, RINEAnalyses.ablation, RINEAnalyses.synthetic,
                                                        RINEAnalyses.reach, RINEAnalyses.premotor, RINEAnalyses.fashion,
                                                        RINEAnalyses.estimate]
}
