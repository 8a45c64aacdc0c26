import AnalysisKit
import DemoAnalyses
import Retina
import InfoGeometry
import RenormalizedMI
import RINE
import CollectiveRedundancy

/// Every analysis of the notebook (the demo analyses and the five paper modules), each with its module's code identity.
/// A user's package adds its own: `ReplicateCLI.main(registry: AnalysisRegistry(paperAnalyses + myAnalyses))`.
public let paperAnalyses: [AnalysisDescriptor] =
    DemoCatalog.analyses.identified(by: DemoAnalysesSourceIdentity.hash)
        + RetinaCatalog.analyses.identified(by: RetinaSourceIdentity.hash)
        + InfoGeometryCatalog.analyses.identified(by: InfoGeometrySourceIdentity.hash)
        + RenormalizedMICatalog.analyses.identified(by: RenormalizedMISourceIdentity.hash)
        + RINECatalog.analyses.identified(by: RINESourceIdentity.hash)
        + CollectiveRedundancyCatalog.analyses.identified(by: CollectiveRedundancySourceIdentity.hash)
