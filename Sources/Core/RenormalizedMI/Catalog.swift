import AnalysisKit

/// The report analyses this paper module registers with the renderer.
public enum RenormalizedMICatalog {
    public static let analyses: [AnalysisDescriptor] = [RMIAnalyses.gaussian, RMIAnalyses.wavePacket, RMIAnalyses.wavePacketAuthors, RMIAnalyses.inequality, RMIAnalyses.spiral, RMIAnalyses.features, RMIAnalyses.drops]
}
