import AnalysisKit

/// The report analyses this paper module registers with the renderer.
public enum RetinaCatalog {
    public static let analyses: [AnalysisDescriptor] = [Fig1Analysis.descriptor, Fig2Analysis.descriptor, CoarseAnalysis.descriptor,
                                                        MStarCalibrationAnalysis.descriptor, BottleneckAnalysis.descriptor]
}
