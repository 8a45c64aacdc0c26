import AnalysisKit
import DemoAnalyses
import Retina
import InfoGeometry
import RenormalizedMI
import RINE
import CollectiveRedundancy

/// Every analysis a report may name, from all paper modules.
let allAnalyses = AnalysisRegistry(
    DemoCatalog.analyses + RetinaCatalog.analyses + InfoGeometryCatalog.analyses + RenormalizedMICatalog.analyses
        + RINECatalog.analyses + CollectiveRedundancyCatalog.analyses)
