import AnalysisKit

/// Small demonstration analyses used by the smoke report and the renderer's end-to-end tests.
public enum DemoCatalog {
    public static let analyses: [AnalysisDescriptor] = [GaussianMIDemo.descriptor, CorrelationMapDemo.descriptor, DataMeanDemo.descriptor, ItemsDemo.descriptor]
}
