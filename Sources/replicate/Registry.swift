import AnalysisKit
import DemoAnalyses
import Retina
import InfoGeometry
import RenormalizedMI
import RINE
import CollectiveRedundancy

/// Every analysis a report may name, from all paper modules.
let allAnalyses = AnalysisRegistry(
    DemoCatalog.analyses.identified(by: DemoAnalysesSourceIdentity.hash)
        + RetinaCatalog.analyses.identified(by: RetinaSourceIdentity.hash)
        + InfoGeometryCatalog.analyses.identified(by: InfoGeometrySourceIdentity.hash)
        + RenormalizedMICatalog.analyses.identified(by: RenormalizedMISourceIdentity.hash)
        + RINECatalog.analyses.identified(by: RINESourceIdentity.hash)
        + CollectiveRedundancyCatalog.analyses.identified(by: CollectiveRedundancySourceIdentity.hash))
